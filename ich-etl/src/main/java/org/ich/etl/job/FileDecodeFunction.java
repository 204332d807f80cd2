package org.ich.etl.job;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.ich.dicom.DicomReadException;
import org.ich.dicom.QuarantineReason;
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
 * Executor side of the ETL: (path, length) -> one outcome row per file, either a slice row or a quarantine row.
 * Every failure becomes a quarantine row, so one bad file never fails the job and no file goes missing.
 */
final class FileDecodeFunction implements FlatMapFunction<Iterator<Row>, Row> {
    private final PixelParams params;
    private final byte[] pseudonymKey;
    private final SplitPolicy split;
    private final HadoopConf hadoop;
    private final Timestamp runStart;
    private final LongAccumulator filesDone;

    FileDecodeFunction(PixelParams params, byte[] pseudonymKey, SplitPolicy split, HadoopConf hadoop, Timestamp runStart,
                       LongAccumulator filesDone) {
        this.params = params;
        this.pseudonymKey = pseudonymKey;
        this.split = split;
        this.hadoop = hadoop;
        this.runStart = runStart;
        this.filesDone = filesDone;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        SliceDecoder decoder = new SliceDecoder(params, new Pseudonyms(pseudonymKey));
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

    private Row decodeOne(SliceDecoder decoder, String uri, long length) {
        byte[] bytes;
        try (InputStream in = new Path(uri).getFileSystem(hadoop.get()).open(new Path(uri))) {
            bytes = in.readAllBytes();
        } catch (Exception e) {
            return Outcomes.quarantined(uri, length, null, QuarantineReason.UNREADABLE,
                    uri + ": cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage(), runStart);
        }
        String hash = sha256(bytes);
        try {
            SliceRecord slice = decoder.decode(bytes, uri);
            return Outcomes.slice(SliceTable.toRow(slice, uri, bytes.length, hash, split.assign(slice.patientKey()), runStart));
        } catch (DicomReadException e) {
            return Outcomes.quarantined(uri, bytes.length, hash, e.reason(), e.getMessage(), runStart);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A library bug on one odd file must not end a nightly run over a whole archive.
            return Outcomes.quarantined(uri, bytes.length, hash, QuarantineReason.UNREADABLE,
                    uri + ": decoder failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), runStart);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
