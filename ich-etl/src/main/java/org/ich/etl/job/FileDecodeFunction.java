package org.ich.etl.job;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.ich.dicom.DicomReadException;
import org.ich.dicom.QuarantineReason;
import org.ich.etl.PathScrub;
import org.ich.etl.PixelParams;
import org.ich.etl.Pseudonyms;
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
 * Executor side of the ETL: (path, length) -> one outcome row per file: a slice row or a quarantine row, and the
 * file's crosswalk row.
 * Every failure becomes a quarantine row, so one bad file never fails the job and no file goes missing.
 */
final class FileDecodeFunction implements FlatMapFunction<Iterator<Row>, Row> {
    private final PixelParams params;
    private final Pseudonyms pseudonyms;
    private final SplitPolicy split;
    private final HadoopConf hadoop;
    private final Timestamp runStart;
    private final LongAccumulator filesDone;

    FileDecodeFunction(PixelParams params, Pseudonyms pseudonyms, SplitPolicy split, HadoopConf hadoop, Timestamp runStart,
                       LongAccumulator filesDone) {
        this.params = params;
        this.pseudonyms = pseudonyms;
        this.split = split;
        this.hadoop = hadoop;
        this.runStart = runStart;
        this.filesDone = filesDone;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        SliceDecoder decoder = new SliceDecoder(params, pseudonyms);
        return new Iterator<>() {
            public boolean hasNext() { return files.hasNext(); }

            public Row next() {
                Row file = files.next();
                Row out = decodeOne(decoder, file.getString(0), file.getLong(1));
                filesDone.add(1);
                return out;
            }
        };
    }

    /** Messages name the file by its key: they reach the quarantine table, which analysts read. */
    private Row decodeOne(SliceDecoder decoder, String uri, long length) {
        String fileKey = pseudonyms.file(uri), name = "file " + fileKey;
        byte[] bytes;
        try (InputStream in = new Path(uri).getFileSystem(hadoop.get()).open(new Path(uri))) {
            bytes = in.readAllBytes();
        } catch (Exception e) {
            return Outcomes.quarantined(uri, fileKey, length, null, QuarantineReason.UNREADABLE,
                    name + ": cannot read: " + withoutPath(e, uri), runStart);
        }
        String hash = pseudonyms.content(sha256(bytes));
        try {
            SliceRecord slice = decoder.decode(bytes, name);
            Row row = SliceTable.toRow(slice, fileKey, bytes.length, hash, split.assign(slice.patientKey()), runStart);
            return Outcomes.slice(row, uri, fileKey, bytes.length, slice, runStart);
        } catch (DicomReadException e) {
            return Outcomes.quarantined(uri, fileKey, bytes.length, hash, e.reason(), e.getMessage(), runStart);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A library bug on one odd file must not end a nightly run over a whole archive.
            return Outcomes.quarantined(uri, fileKey, bytes.length, hash, QuarantineReason.UNREADABLE,
                    name + ": decoder failed: " + withoutPath(e, uri), runStart);
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
