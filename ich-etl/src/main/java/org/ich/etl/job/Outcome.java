package org.ich.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ich.dicom.QuarantineReason;
import org.ich.etl.SliceRecord;

import java.io.Serializable;
import java.sql.Timestamp;

/**
 * What happened to one file, so decoding runs once: exactly one of its {@code slices}, {@code quarantine} or
 * {@code waiting} rows, and always its crosswalk row, the only place the originals travel (straight to their table).
 * A class, not a record: Spark's Kryo cannot build a serializer for records.
 */
final class Outcome implements Serializable {
    enum Kind { SLICE, QUARANTINED, WAITING }

    private final Kind kind;
    private final Row row;
    private final Row crosswalk;

    private Outcome(Kind kind, Row row, Row crosswalk) {
        this.kind = kind;
        this.row = row;
        this.crosswalk = crosswalk;
    }

    /** The row of the table {@link #is its kind} names. */
    Row row() {
        return row;
    }

    Row crosswalk() {
        return crosswalk;
    }

    /** A listed file: its URI, the key tables name it by, and the size and modification time the listing gave. */
    record Listed(String uri, String fileKey, long size, Timestamp modified) implements Serializable {}

    static Outcome slice(Row sliceRow, Listed file, long size, SliceRecord s, Timestamp seen) {
        SliceRecord.Originals o = s.originals();
        return new Outcome(Kind.SLICE, sliceRow, RowFactory.create(file.fileKey(), file.uri(), size, s.sliceKey(), o.sopInstanceUid(),
                o.seriesInstanceUid(), o.studyInstanceUid(), o.patientId(), o.accessionNumber(), s.patientKey(), s.studyKey(),
                s.seriesKey(), seen));
    }

    static Outcome quarantined(Listed file, long size, String hash, QuarantineReason reason, String message, Timestamp seen) {
        return new Outcome(Kind.QUARANTINED, RowFactory.create(file.fileKey(), size, hash, reason.name(), message, seen, file.modified()),
                fileOnly(file, seen));
    }

    /** Reading failed {@code attempts} times in this run; the job adds them to what earlier runs recorded. */
    static Outcome waiting(Listed file, int attempts, String errorClass, String message, Timestamp seen) {
        return new Outcome(Kind.WAITING, RowFactory.create(file.fileKey(), file.size(), file.modified(), attempts, 1, errorClass, message,
                seen, seen), fileOnly(file, seen));
    }

    /** A crosswalk row with the path alone: --show-paths can name a file that never decoded. */
    private static Row fileOnly(Listed file, Timestamp seen) {
        return RowFactory.create(file.fileKey(), file.uri(), file.size(), null, null, null, null, null, null, null, null, null, seen);
    }

    boolean is(Kind k) {
        return kind == k;
    }
}
