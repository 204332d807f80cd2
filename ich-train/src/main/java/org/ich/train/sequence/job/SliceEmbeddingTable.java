package org.ich.train.sequence.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.SliceTable;

/**
 * The {@code slice_embeddings} Iceberg table: per (slice, model version), the slice stage's pooled features
 * and probabilities, averaged over the version's test-time views. The context stage trains and scores from it, so it
 * can be retrained without rerunning the CNN, and analysts can use the features. Written with MERGE on the key, so a
 * rerun replaces rather than duplicates. Partitioned by model version.
 */
public final class SliceEmbeddingTable {
    public static final String NAME = "slice_embeddings";
    public static final String EMBEDDING = "embedding";
    /** Columns of a slice that the table takes from {@code slices} under the same names. */
    public static final List<String> FROM_SLICES = List.of(SliceTable.KEY, "patient_key", "study_key", "series_key",
            "slice_index", "z_position", "split", "is_empty");
    public static final StructType SCHEMA;

    static {
        List<StructField> f = new ArrayList<>();
        f.add(EtlTables.column(SliceTable.KEY, DataTypes.StringType, false, "pseudonym of the slice's SOPInstanceUID, as in slices"));
        f.add(EtlTables.column("model_version", DataTypes.StringType, false, "registry version whose slice stage computed the row"));
        f.add(EtlTables.column("patient_key", DataTypes.StringType, false, "pseudonymised PatientID, as in slices"));
        f.add(EtlTables.column("study_key", DataTypes.StringType, false, "pseudonymised StudyInstanceUID, as in slices"));
        f.add(EtlTables.column("series_key", DataTypes.StringType, false, "pseudonymised SeriesInstanceUID, as in slices"));
        f.add(EtlTables.column("slice_index", DataTypes.IntegerType, true, "0-based position in its series by z, as in slices"));
        f.add(EtlTables.column("z_position", DataTypes.DoubleType, true, "slice position along the scan axis, mm, as in slices"));
        f.add(EtlTables.column("split", DataTypes.StringType, false, "train/valid/test, as in slices"));
        f.add(EtlTables.column("is_empty", DataTypes.BooleanType, false, "near-empty end slice, as in slices"));
        f.add(EtlTables.column(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false,
                "the slice network's global-average-pooled features, averaged over the test-time views"));
        for (String label : Labels.NAMES) {
            f.add(EtlTables.column("p_slice_" + label, DataTypes.DoubleType, true, "slice stage's probability of " + label
                    + " (null if it does not predict it)"));
        }
        f.add(EtlTables.column("tta", DataTypes.StringType, false, "test-time views averaged, e.g. identity+hflip"));
        f.add(EtlTables.column("computed_at", DataTypes.TimestampType, false, "start of the run that computed the row (UTC)"));
        SCHEMA = new StructType(f.toArray(StructField[]::new));
    }

    private SliceEmbeddingTable() {
    }


    public static void ensure(SparkSession spark, CommonConfig common) {
        EtlTables.createOrEvolve(spark, common.table(NAME), SCHEMA, "model_version", Map.of("format-version", "2"));
    }

    /** Inserts or replaces {@code rows} (in {@link #SCHEMA}'s columns) by (slice, model version). */
    public static void merge(SparkSession spark, CommonConfig common, Dataset<Row> rows) {
        ensure(spark, common);
        rows.createOrReplaceTempView("ich_new_slice_embeddings");
        spark.sql("MERGE INTO " + common.table(NAME) + " t USING ich_new_slice_embeddings s"
                + " ON t." + SliceTable.KEY + " = s." + SliceTable.KEY + " AND t.model_version = s.model_version"
                + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    }
}
