package org.ich.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ich.dicom.QuarantineReason;
import org.ich.etl.SliceRecord;

import java.sql.Timestamp;
import java.util.Arrays;

/**
 * What happened to one file, in one row shape so decoding runs once: the slice row (null when the file did not
 * decode), the file's crosswalk row (always), and the quarantine row (null when it decoded); the job splits them and
 * applies each table's schema. The crosswalk part is the only place the originals travel, straight to its table.
 */
final class Outcomes {
    static final int SLICE_WIDTH = SliceTable.SCHEMA.size();
    static final int CROSSWALK_WIDTH = CrosswalkTable.SCHEMA.size();
    static final int QUARANTINE_WIDTH = QuarantineTable.SCHEMA.size();
    private static final int CROSSWALK_AT = SLICE_WIDTH, QUARANTINE_AT = SLICE_WIDTH + CROSSWALK_WIDTH;
    private Outcomes() {}

    static Row slice(Row sliceRow, String uri, String fileKey, long size, SliceRecord s, Timestamp seen) {
        Object[] values = new Object[QUARANTINE_AT + QUARANTINE_WIDTH];
        for (int i = 0; i < SLICE_WIDTH; i++) values[i] = sliceRow.get(i);
        SliceRecord.Originals o = s.originals();
        Object[] c = {fileKey, uri, size, s.sliceKey(), o.sopInstanceUid(), o.seriesInstanceUid(), o.studyInstanceUid(),
                o.patientId(), o.accessionNumber(), s.patientKey(), s.studyKey(), s.seriesKey(), seen};
        System.arraycopy(c, 0, values, CROSSWALK_AT, CROSSWALK_WIDTH);
        return RowFactory.create(values);
    }

    static Row quarantined(String uri, String fileKey, long size, String hash, QuarantineReason reason, String message,
                           Timestamp seen) {
        Object[] values = new Object[QUARANTINE_AT + QUARANTINE_WIDTH];
        Object[] c = {fileKey, uri, size, null, null, null, null, null, null, null, null, null, seen};
        System.arraycopy(c, 0, values, CROSSWALK_AT, CROSSWALK_WIDTH);
        Object[] q = {fileKey, size, hash, reason.name(), message, seen};
        System.arraycopy(q, 0, values, QUARANTINE_AT, QUARANTINE_WIDTH);
        return RowFactory.create(values);
    }

    static boolean isSlice(Row r) {
        return r.isNullAt(QUARANTINE_AT);
    }

    static Row sliceRow(Row r) {
        return part(r, 0, SLICE_WIDTH);
    }

    static Row crosswalkRow(Row r) {
        return part(r, CROSSWALK_AT, CROSSWALK_WIDTH);
    }

    static Row quarantineRow(Row r) {
        return part(r, QUARANTINE_AT, QUARANTINE_WIDTH);
    }

    private static Row part(Row r, int from, int width) {
        Object[] v = new Object[r.length()];
        for (int i = 0; i < v.length; i++) v[i] = r.get(i);
        return RowFactory.create(Arrays.copyOfRange(v, from, from + width));
    }
}
