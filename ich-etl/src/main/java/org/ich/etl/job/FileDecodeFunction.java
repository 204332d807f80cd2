package org.ich.etl.job;

import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.ich.dicom.DicomReadException;
import org.ich.dicom.QuarantineReason;
import org.ich.etl.FileLimits;
import org.ich.etl.PathScrub;
import org.ich.etl.PixelParams;
import org.ich.etl.Pseudonyms;
import org.ich.etl.RetryPolicy;
import org.ich.etl.SliceDecoder;
import org.ich.etl.SliceRecord;
import org.ich.etl.SplitPolicy;
import org.ich.spark.HadoopConf;

import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * Executor side of the ETL: (path, length, modified, file_key) -> one {@link Outcome} per file.
 *
 * <p>Two kinds of failure are kept apart. A file whose bytes are bad (not DICOM, cut short, too large, ...) is
 * quarantined with its reason: reading it again gives the same answer. A file the storage did not deliver
 * (throttling, a timeout, a reset connection) says nothing about the file: it is read again after a pause, and
 * recorded as waiting when it still fails, for the next run to read. Neither fails the job.
 */
final class FileDecodeFunction implements FlatMapFunction<Iterator<Row>, Outcome> {
    private final PixelParams params;
    private final Pseudonyms pseudonyms;
    private final SplitPolicy split;
    private final FileLimits limits;
    private final RetryPolicy retry;
    private final int taskAttempts;
    private final HadoopConf hadoop;
    private final Timestamp runStart;
    private final LongAccumulator filesDone;

    /** @param taskAttempts how often Spark runs a failed task before it fails the job (spark.task.maxFailures) */
    FileDecodeFunction(PixelParams params, Pseudonyms pseudonyms, SplitPolicy split, FileLimits limits, RetryPolicy retry,
                       int taskAttempts, HadoopConf hadoop, Timestamp runStart, LongAccumulator filesDone) {
        this.params = params;
        this.pseudonyms = pseudonyms;
        this.split = split;
        this.limits = limits;
        this.retry = retry;
        this.taskAttempts = taskAttempts;
        this.hadoop = hadoop;
        this.runStart = runStart;
        this.filesDone = filesDone;
    }

    @Override
    public Iterator<Outcome> call(Iterator<Row> files) {
        SliceDecoder decoder = new SliceDecoder(params, pseudonyms, limits);
        return new Iterator<>() {
            public boolean hasNext() { return files.hasNext(); }

            public Outcome next() {
                Row f = files.next();
                Outcome out = decodeOne(decoder, new Outcome.Listed(f.getAs("path"), f.getAs("file_key"), f.<Long>getAs("length"),
                        f.getAs("modified")));
                filesDone.add(1);
                return out;
            }
        };
    }

    /** Messages name the file by its key: they reach the quarantine and waiting tables, which analysts read. */
    private Outcome decodeOne(SliceDecoder decoder, Outcome.Listed file) {
        String name = "file " + file.fileKey();
        if (file.size() > limits.maxFileBytes()) {
            return Outcome.quarantined(file, file.size(), null, QuarantineReason.TOO_LARGE, name + ": " + file.size()
                    + " bytes, over ich.etl.max-file-bytes (" + limits.maxFileBytes() + "); not read", runStart);
        }
        try {
            byte[] bytes = null;
            Exception failure = null;
            int attempt = 0;
            while (bytes == null && attempt < retry.readAttempts()) {
                attempt++;
                pause(retry.pauseBefore(attempt));
                try {
                    bytes = read(file.uri(), file.size());
                } catch (Exception e) {
                    // Nothing of the file was looked at: whatever the storage client threw says nothing about its bytes.
                    failure = e;
                }
            }
            if (bytes == null) {
                return Outcome.waiting(file, attempt, failure.getClass().getSimpleName(),
                        name + ": not read after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": " + withoutPath(failure, file.uri()),
                        runStart);
            }
            return decoded(decoder, file, bytes, name);
        } catch (OutOfMemoryError e) {
            return outOfMemory(file, name);
        }
    }

    private Outcome decoded(SliceDecoder decoder, Outcome.Listed file, byte[] bytes, String name) {
        String hash = pseudonyms.content(sha256(bytes));
        try {
            SliceRecord slice = decoder.decode(bytes, name);
            Row row = SliceTable.toRow(slice, file.fileKey(), bytes.length, hash, split.assign(slice.patientKey()), runStart,
                    file.modified());
            return Outcome.slice(row, file, bytes.length, slice, runStart);
        } catch (DicomReadException e) {
            return Outcome.quarantined(file, bytes.length, hash, e.reason(), e.getMessage(), runStart);
        } catch (RuntimeException | StackOverflowError e) {
            // A library bug on one odd file must not end a nightly run over a whole archive.
            return Outcome.quarantined(file, bytes.length, hash, QuarantineReason.UNREADABLE,
                    name + ": decoder failed: " + withoutPath(e, file.uri()), runStart);
        }
    }

    /**
     * The heap ran out on this file (its bytes were dropped with the stack, so the executor lives on). This attempt
     * fails, and Spark runs the task again, possibly on an executor with more room; the last attempt quarantines the
     * file instead, so one file cannot fail a nightly run every night.
     */
    private Outcome outOfMemory(Outcome.Listed file, String name) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? taskAttempts : task.attemptNumber() + 1;
        if (attempt < taskAttempts) {
            throw new IllegalStateException(name + ": " + file.size() + " bytes need more memory than this executor has"
                    + " (OutOfMemoryError, task attempt " + attempt + " of " + taskAttempts + "); Spark runs the task again");
        }
        return Outcome.quarantined(file, file.size(), null, QuarantineReason.TOO_LARGE, name + ": " + file.size()
                + " bytes need more memory than an executor has (OutOfMemoryError on each of " + taskAttempts + " task attempts);"
                + " lower ich.etl.max-file-bytes below it, or raise spark.executor.memory and rerun with"
                + " --retry-quarantined TOO_LARGE", runStart);
    }

    private byte[] read(String uri, long listedSize) throws java.io.IOException {
        try (InputStream in = new Path(uri).getFileSystem(hadoop.get()).open(new Path(uri))) {
            return readListed(in, listedSize);
        }
    }

    /**
     * The stream's bytes, read into one array of the size the listing gave ({@code listedSize}, at most
     * ich.etl.max-file-bytes), allocated before the first byte is read. A file too large for the heap then fails
     * here, at once and in this task's thread; readAllBytes' growing buffers first fill the heap, and the
     * OutOfMemoryError can then strike any thread of the executor (seen: Spark's context cleaner, which stopped the
     * SparkContext). A file that changed since it was listed is read as it is now.
     */
    static byte[] readListed(InputStream in, long listedSize) throws java.io.IOException {
        byte[] bytes = new byte[(int) Math.min(listedSize, Integer.MAX_VALUE - 8)];
        int n = in.readNBytes(bytes, 0, bytes.length);
        if (n < bytes.length) return java.util.Arrays.copyOf(bytes, n);
        byte[] more = in.readAllBytes();
        if (more.length == 0) return bytes;
        byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + more.length);
        System.arraycopy(more, 0, all, bytes.length, more.length);
        return all;
    }

    private static void pause(long millis) {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to read a file again", e);
        }
    }

    /** The exception's class and message with the file's URI and path cut out (storage errors quote the path). */
    static String withoutPath(Throwable e, String uri) {
        return e.getClass().getSimpleName() + ": " + PathScrub.scrub(String.valueOf(e.getMessage()), uri, "<file>");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
