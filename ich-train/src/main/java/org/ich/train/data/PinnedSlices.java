package org.ich.train.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.SliceTable;

/**
 * The {@code slices} table as one run sees it: pinned to the snapshot current at the start (so an ETL
 * committing mid-run cannot change what later epochs or the validation read, and the manifest can name
 * exactly what was trained on), with the tensor layout its {@code ich.tensor.*} properties declare.
 */
public record PinnedSlices(String name, long snapshotId, Dataset<Row> rows, int channels, int size,
                       Map<String, String> tensorProperties) {

    public static PinnedSlices read(SparkSession spark, CommonConfig common) {
        String name = common.table(SliceTable.NAME);
        if (!spark.catalog().tableExists(name)) {
            throw new UserError("table " + name + " does not exist; run `ich etl` first (with a label CSV) or point"
                    + " ich.warehouse / ich.namespace at the tables to train on");
        }
        Snapshot current;
        try {
            Table table = Spark3Util.loadIcebergTable(spark, name);
            table.refresh();
            current = table.currentSnapshot();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + name + ": " + e.getMessage(), e);
        }
        if (current == null) {
            throw new UserError("table " + name + " is empty; run `ich etl` first");
        }
        Dataset<Row> rows = spark.read().option("snapshot-id", current.snapshotId()).table(name);
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

    /**
     * SHA-256 of the sorted, distinct patient keys of the validation split: two runs whose fingerprints
     * agree were scored on the same patients, so their metrics compare.
     */
    public String validationFingerprint() {
        List<Row> keys = rows.where(col("split").equalTo(lit("valid"))).select(col("patient_key")).distinct()
                .orderBy(col("patient_key")).collectAsList();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Row key : keys) {
                sha.update(key.getString(0).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
