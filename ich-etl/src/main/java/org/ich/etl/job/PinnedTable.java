package org.ich.etl.job;

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
        Snapshot current;
        try {
            Table t = Spark3Util.loadIcebergTable(spark, table);
            t.refresh();
            current = t.currentSnapshot();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + table + ": " + e.getMessage(), e);
        }
        if (current == null) return spark.createDataFrame(java.util.List.of(), spark.table(table).schema());
        return spark.read().option("snapshot-id", current.snapshotId()).table(table);
    }
}
