package org.ich.etl.job;

import java.util.List;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A table as it was when the run started. Spark recomputes cached plans that read a table after that table is
 * written, so "rows not yet in slices" read live would turn empty after this run's own commit; reading the
 * snapshot current at the start keeps every step of a run looking at the same state.
 */
public final class PinnedTable {
    private PinnedTable() {}

    public static Dataset<Row> read(SparkSession spark, String table) {
        Snapshot current = snapshot(spark, table, null);
        if (current == null) return spark.createDataFrame(List.of(), spark.table(table).schema());
        return at(spark, table, current);
    }

    /** The table's snapshot {@code id}, or its current one when {@code id} is null; null when there is none. */
    public static Snapshot snapshot(SparkSession spark, String table, Long id) {
        try {
            Table t = Spark3Util.loadIcebergTable(spark, table);
            t.refresh();
            return id == null ? t.currentSnapshot() : t.snapshot(id);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + table + ": " + e.getMessage(), e);
        }
    }

    /** The rows of {@code table} as of {@code snapshot}. */
    public static Dataset<Row> at(SparkSession spark, String table, Snapshot snapshot) {
        return spark.read().option("snapshot-id", snapshot.snapshotId()).table(table);
    }
}
