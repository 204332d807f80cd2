package org.ich.train.data;

import static org.apache.spark.sql.functions.col;

import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.PinnedTable;
import org.ich.etl.job.SliceTable;

/**
 * The {@code slices} table as one run sees it: pinned to one snapshot (the current one at the start, or
 * for a resumed run the one it began on), so an ETL committing mid-run cannot change what later epochs or
 * the validation read, and the manifest names exactly what was trained on; with the tensor layout its
 * {@code ich.tensor.*} properties declare.
 */
public record PinnedSlices(String name, long snapshotId, Dataset<Row> rows, int channels, int size,
                       Map<String, String> tensorProperties) {

    /** The table at its current snapshot. */
    public static PinnedSlices read(SparkSession spark, CommonConfig common) {
        return at(spark, common, null);
    }

    /** The table at {@code snapshotId}, or at its current snapshot when that is null. */
    public static PinnedSlices at(SparkSession spark, CommonConfig common, Long snapshotId) {
        String name = common.table(SliceTable.NAME);
        if (!spark.catalog().tableExists(name)) {
            throw new UserError("table " + name + " does not exist; run `ich etl` first (with a label CSV) or point"
                    + " ich.warehouse / ich.namespace at the tables to train on");
        }
        Snapshot current = PinnedTable.snapshot(spark, name, snapshotId);
        if (current == null) {
            throw new UserError(snapshotId == null ? "table " + name + " is empty; run `ich etl` first"
                    : "table " + name + " no longer has snapshot " + snapshotId + " (expired?); set ich.train.resume=false"
                    + " to train a new version on the current data");
        }
        Dataset<Row> rows = PinnedTable.at(spark, name, current);
        Map<String, String> props = new TreeMap<>();
        EtlTables.properties(spark, name).forEach((k, v) -> {
            if (k.startsWith("ich.tensor.")) {
                props.put(k, v);
            }
        });
        Row shape = rows.select(col("tensor_channels"), col("tensor_size")).limit(1).collectAsList().get(0);
        int size = shape.getInt(1);
        String declared = props.get(EtlTables.PROP_SIZE);
        if (declared != null && !declared.equals(Integer.toString(size))) {
            throw new UserError("table " + name + " declares " + EtlTables.PROP_SIZE + "=" + declared
                    + " but holds tensors of size " + size);
        }
        return new PinnedSlices(name, current.snapshotId(), rows, shape.getInt(0), size, props);
    }
}
