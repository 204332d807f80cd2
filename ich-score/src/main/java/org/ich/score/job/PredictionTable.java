package org.ich.score.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.config.CommonConfig;
import org.ich.etl.job.EtlTables;
import org.ich.domain.Labels;

/**
 * The {@code predictions} Iceberg table: one row per (SOPInstanceUID, model version), keys named as in {@code slices}.
 * Partitioned by scoring day and model version, the two filters analysts start from.
 */
public final class PredictionTable {
    public static final String NAME = "predictions";
    public static final StructType SCHEMA;

    static {
        List<StructField> f = new ArrayList<>();
        add(f, "sop_instance_uid", DataTypes.StringType, false, "DICOM SOPInstanceUID, as in slices");
        add(f, "model_version", DataTypes.StringType, false, "registry version of the model that scored the slice");
        add(f, "patient_key", DataTypes.StringType, false, "pseudonymised PatientID, as in slices");
        add(f, "study_key", DataTypes.StringType, false, "pseudonymised StudyInstanceUID, as in slices");
        add(f, "series_key", DataTypes.StringType, false, "pseudonymised SeriesInstanceUID, as in slices");
        add(f, "slice_index", DataTypes.IntegerType, true, "0-based position in its series by z, as in slices");
        add(f, "z_position", DataTypes.DoubleType, true, "slice position along the scan axis, mm, as in slices");
        add(f, "is_empty", DataTypes.BooleanType, false, "near-empty end slice (scored all the same)");
        for (String label : Labels.NAMES) {
            add(f, "p_" + label, DataTypes.DoubleType, true, "probability of " + label + ": the model's final output, its"
                    + " context stage's when it has one (null if the model does not predict it)");
        }
        add(f, "scored_at", DataTypes.TimestampType, false, "start of the scoring run (UTC)");
        add(f, "run_id", DataTypes.StringType, false, "scoring run id");
        add(f, "tta", DataTypes.StringType, false, "test-time views averaged, e.g. identity+hflip");
        add(f, "source_uri", DataTypes.StringType, false, "DICOM file the slice was read from");
        // Added with the context stage: nullable, so tables written before it gain them (EtlTables.addMissingColumns).
        for (String label : Labels.NAMES) {
            add(f, "p_slice_" + label, DataTypes.DoubleType, true, "the slice stage's probability of " + label + " (the"
                    + " slice alone, 2.5D neighbours aside); equals p_" + label + " for a model without a context stage");
        }
        add(f, "p_series_any", DataTypes.DoubleType, true, "the context stage's probability that the slice's series shows"
                + " any hemorrhage (null without a context stage)");
        SCHEMA = new StructType(f.toArray(StructField[]::new));
    }

    private PredictionTable() {
    }

    private static void add(List<StructField> fields, String name, DataType type, boolean nullable, String comment) {
        fields.add(new StructField(name, type, nullable, Metadata.empty()).withComment(comment));
    }

    public static void ensure(SparkSession spark, CommonConfig common) {
        String table = common.table(NAME);
        if (!spark.catalog().tableExists(table)) {
            EtlTables.create(spark, table, SCHEMA, "days(scored_at), model_version", Map.of("format-version", "2"));
        } else {
            EtlTables.addMissingColumns(spark, table, SCHEMA);
        }
    }

    /** Columns a prediction row takes from its slice in {@code slices}, by the same names. */
    static List<String> fromSlices() {
        return List.of("sop_instance_uid", "patient_key", "study_key", "series_key", "slice_index", "z_position",
                "is_empty", "source_uri");
    }
}
