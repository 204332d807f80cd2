package org.ich.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ich.dicom.QuarantineReason;

import java.sql.Timestamp;
import java.util.Arrays;

/**
 * What happened to one file, in one row shape so decoding runs once: a slice row followed by two null columns, or a
 * quarantine row padded into the same width; the job splits them and applies each table's schema.
 */
final class Outcomes {
    static final int SLICE_WIDTH = SliceTable.SCHEMA.size();
    static final int QUARANTINE_WIDTH = QuarantineTable.SCHEMA.size();
    private Outcomes() {}

    static Row slice(Row sliceRow) {
        Object[] values = new Object[SLICE_WIDTH + QUARANTINE_WIDTH];
        for (int i = 0; i < SLICE_WIDTH; i++) values[i] = sliceRow.get(i);
        return RowFactory.create(values);
    }

    static Row quarantined(String uri, long size, String hash, QuarantineReason reason, String message, Timestamp seen) {
        Object[] values = new Object[SLICE_WIDTH + QUARANTINE_WIDTH];
        Object[] q = {uri, size, hash, reason.name(), message, seen};
        System.arraycopy(q, 0, values, SLICE_WIDTH, QUARANTINE_WIDTH);
        return RowFactory.create(values);
    }

    static boolean isSlice(Row r) {
        return r.isNullAt(SLICE_WIDTH);
    }

    static Row sliceRow(Row r) {
        return RowFactory.create(Arrays.copyOfRange(rowValues(r), 0, SLICE_WIDTH));
    }

    static Row quarantineRow(Row r) {
        return RowFactory.create(Arrays.copyOfRange(rowValues(r), SLICE_WIDTH, SLICE_WIDTH + QUARANTINE_WIDTH));
    }

    private static Object[] rowValues(Row r) {
        Object[] v = new Object[r.length()];
        for (int i = 0; i < v.length; i++) v[i] = r.get(i);
        return v;
    }
}
