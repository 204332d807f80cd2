package org.ich.score.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.config.CommonConfig;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.SliceTable;
import org.ich.domain.Labels;

/**
 * The {@code predictions} Iceberg table: one row per (slice, model version), keys named as in {@code slices}. It holds
 * pseudonyms only (the slice and its file by key, never a UID or path), so analysts can be given it.
 * Partitioned by scoring day and model version, the two filters analysts start from.
 */
public final class PredictionTable {
    public static final String NAME = "predictions";
    public static final StructType SCHEMA;

    static {
        List<StructField> f = new ArrayList<>();
        f.add(EtlTables.column(SliceTable.KEY, DataTypes.StringType, false, "pseudonym of the slice's SOPInstanceUID, as in slices"));
        f.add(EtlTables.column("model_version", DataTypes.StringType, false, "registry version of the model that scored the slice"));
        f.add(EtlTables.column("patient_key", DataTypes.StringType, false, "pseudonymised PatientID, as in slices"));
        f.add(EtlTables.column("study_key", DataTypes.StringType, false, "pseudonymised StudyInstanceUID, as in slices"));
        f.add(EtlTables.column("series_key", DataTypes.StringType, false, "pseudonymised SeriesInstanceUID, as in slices"));
        f.add(EtlTables.column("slice_index", DataTypes.IntegerType, true, "0-based position in its series by z, as in slices"));
        f.add(EtlTables.column("z_position", DataTypes.DoubleType, true, "slice position along the scan axis, mm, as in slices"));
        f.add(EtlTables.column("is_empty", DataTypes.BooleanType, false, "near-empty end slice (scored all the same)"));
        for (String label : Labels.NAMES) {
            f.add(EtlTables.column("p_" + label, DataTypes.DoubleType, true, "probability of " + label + ": the model's final output, its"
                    + " context stage's when it has one (null if the model does not predict it)"));
        }
        f.add(EtlTables.column("scored_at", DataTypes.TimestampType, false, "start of the scoring run (UTC)"));
        f.add(EtlTables.column("run_id", DataTypes.StringType, false, "scoring run id"));
        f.add(EtlTables.column("tta", DataTypes.StringType, false, "test-time views averaged, e.g. identity+hflip"));
        f.add(EtlTables.column("file_key", DataTypes.StringType, false, "pseudonym of the DICOM file the slice was read from, as in"
                + " slices (its path is in the crosswalk only)"));
        // Added with the context stage: nullable, so tables written before it gain them (EtlTables.addMissingColumns).
        for (String label : Labels.NAMES) {
            f.add(EtlTables.column("p_slice_" + label, DataTypes.DoubleType, true, "the slice stage's probability of " + label + " (the"
                    + " slice alone, 2.5D neighbours aside); equals p_" + label + " for a model without a context stage"));
        }
        f.add(EtlTables.column("p_series_any", DataTypes.DoubleType, true, "the context stage's probability that the slice's series shows"
                + " any hemorrhage (null without a context stage)"));
        SCHEMA = new StructType(f.toArray(StructField[]::new));
    }

    private PredictionTable() {
    }


    public static void ensure(SparkSession spark, CommonConfig common) {
        String table = common.table(NAME);
        EtlTables.createOrEvolve(spark, table, SCHEMA, "days(scored_at), model_version", Map.of("format-version", "2"));
    }

    /** Columns a prediction row takes from its slice in {@code slices}, by the same names. */
    static List<String> fromSlices() {
        return List.of(SliceTable.KEY, "patient_key", "study_key", "series_key", "slice_index", "z_position",
                "is_empty", "file_key");
    }
}
