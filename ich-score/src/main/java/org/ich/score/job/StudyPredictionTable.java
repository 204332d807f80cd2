package org.ich.score.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.config.CommonConfig;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.LegacyLayout;
import org.ich.etl.job.SliceTable;
import org.ich.domain.Labels;
import org.ich.score.ScoringModel;

/**
 * The {@code study_predictions} table: {@code predictions} rolled up per study and model version, for triage. Per
 * label: the highest slice probability, how many slices exceed the threshold, and which slice is the top one.
 * {@code triage_rank} orders the studies of one model version by their highest "any" probability (1 = look first);
 * {@code flagged} marks those at or above the version's primary operating point ({@link Flag}).
 *
 * <p>A table rather than a view: the Hadoop catalog keeps no views, and engines other than Spark read a table. It is
 * derived data, rebuilt per model version (a partition) from {@code predictions}, so rebuilding is idempotent.
 */
public final class StudyPredictionTable {
    public static final String NAME = "study_predictions";

    private StudyPredictionTable() {
    }

    /**
     * Where studies are flagged: the version's primary operating point, or ich.score.threshold for a version not yet
     * evaluated (named so in the table, so nobody mistakes it for a chosen point).
     */
    public record Flag(String operatingPoint, double threshold) {
        public static final String UNCHOSEN = "ich.score.threshold";

        public static Flag of(ScoringModel model, double fallback) {
            return model.operatingPoint() == null ? new Flag(UNCHOSEN, fallback)
                    : new Flag(model.operatingPoint(), model.flagThreshold());
        }
    }

    /** The rollup of every prediction of {@code modelVersion}, ordered for triage. */
    static Dataset<Row> rollup(Dataset<Row> predictions, Dataset<Row> heatmaps, String modelVersion, double threshold,
                               Flag flag) {
        List<Column> aggregates = new ArrayList<>(List.of(
                count(lit(1)).as("slices"),
                max("scored_at").as("scored_at"),
                max_by(col("run_id"), col("scored_at")).as("run_id")));
        for (String label : Labels.NAMES) {
            Column p = col("p_" + label);
            // Ties go to the lower slice index, then the slice key, so a rebuild picks the same top slice.
            Column top = max(when(p.isNotNull(), struct(p.as("p"), col("slice_index").multiply(-1).as("neg_index"),
                    col(SliceTable.KEY).as("slice"))));
            aggregates.add(max(p).as("max_p_" + label));
            aggregates.add(when(max(p).isNull(), lit(null)).otherwise(count_if(p.gt(threshold))).as("slices_above_" + label));
            aggregates.add(top.getField("slice").as(topSliceKey(label)));
            aggregates.add(top.getField("neg_index").multiply(-1).as("top_slice_index_" + label));
        }
        // The context stage's series-level "any" (null without one): the study's most suspicious series.
        aggregates.add(max("p_series_any").as("max_p_series_any"));
        Dataset<Row> studies = predictions.where(col("model_version").equalTo(lit(modelVersion)))
                .groupBy(col("model_version"), col("study_key"), col("patient_key"))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .withColumn("threshold", lit(threshold))
                .withColumn("operating_point", lit(flag.operatingPoint()))
                .withColumn("flag_threshold", lit(flag.threshold()))
                .withColumn("flagged", col("max_p_any").geq(lit(flag.threshold())));
        // Where the model looked on the key slice (flagged studies; null until KeySliceHeatmaps has mapped it).
        String keySlice = topSliceKey(Labels.NAMES.get(Labels.ANY));
        Dataset<Row> peaks = heatmaps.where(col("model_version").equalTo(lit(modelVersion))).select(
                col(SliceTable.KEY).as(keySlice), col("peak_row").as("heatmap_peak_row"),
                col("peak_col").as("heatmap_peak_col"), col("size").as("heatmap_size"));
        studies = studies.join(peaks, studies.col(keySlice).equalTo(peaks.col(keySlice)), "left")
                .drop(peaks.col(keySlice));
        Column triage = rank().over(Window.partitionBy("model_version").orderBy(col("max_p_any").desc_nulls_last(),
                col("study_key")));
        return studies.withColumn("triage_rank", triage).orderBy("triage_rank");
    }

    /**
     * The column of the slice key of the study's top slice for {@code label}. Named {@code top_slice_key_<label>}, not
     * the {@code top_slice_<label>} that held SOP UIDs before the PHI boundary, so an old table is recognisably legacy.
     */
    public static String topSliceKey(String label) {
        return "top_slice_key_" + label;
    }

    /**
     * {@link #refresh}, then the heatmaps of the flagged studies' key slices that have none yet, then the rollup again
     * so the study rows carry their peaks.
     */
    public static void refreshMapped(SparkSession spark, CommonConfig common, ScoringModel model, double threshold,
                                     Flag flag, PrintStream out) {
        refresh(spark, common, model.version(), threshold, flag);
        if (KeySliceHeatmaps.compute(spark, common, model, out) > 0) refresh(spark, common, model.version(), threshold, flag);
    }

    /** Replaces the rows of {@code modelVersion} with a fresh rollup of its predictions. */
    public static void refresh(SparkSession spark, CommonConfig common, String modelVersion, double threshold, Flag flag) {
        String table = common.table(NAME);
        String heatmaps = KeySliceHeatmaps.ensure(spark, common);
        // A rollup from before the PHI boundary (SOP UIDs in top_slice_<label>) is refused before any work, not only
        // when createOrEvolve reaches it.
        if (spark.catalog().tableExists(table)) LegacyLayout.refuse(spark, table);
        Dataset<Row> rows = rollup(spark.table(common.table(PredictionTable.NAME)), spark.table(heatmaps), modelVersion,
                threshold, flag);
        EtlTables.createOrEvolve(spark, table, documented(rows.schema()), "model_version", Map.of("format-version", "2"));
        // Dynamic overwrite: only this version's partition is replaced, other versions' rollups stay.
        String[] columns = spark.table(table).columns();
        try {
            rows.select(columns[0], rest(columns)).writeTo(table).overwritePartitions();
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalStateException("table " + table + " vanished while being rebuilt", e);
        }
    }

    private static StructType documented(StructType schema) {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : schema.fields()) fields.add(f.withComment(comment(f.name())));
        return new StructType(fields.toArray(StructField[]::new));
    }

    static String comment(String column) {
        for (String label : Labels.NAMES) {
            if (column.equals("max_p_" + label)) return "highest p_" + label + " over the study's slices";
            if (column.equals("slices_above_" + label)) return "slices with p_" + label + " above threshold";
            if (column.equals(topSliceKey(label))) return "slice_key of the slice with the highest p_" + label;
            if (column.equals("top_slice_index_" + label)) return "slice_index of that slice";
        }
        return switch (column) {
            case "model_version" -> "registry version of the model";
            case "study_key" -> "pseudonymised StudyInstanceUID, as in slices";
            case "patient_key" -> "pseudonymised PatientID, as in slices";
            case "slices" -> "slices of the study scored by this model";
            case "max_p_series_any" -> "highest series-level p(any) of the model's context stage over the study's"
                    + " series (null without a context stage)";
            case "scored_at" -> "latest scoring of the study by this model";
            case "run_id" -> "scoring run of that latest scoring";
            case "threshold" -> "ich.score.threshold the counts used";
            case "operating_point" -> "the version's primary operating point the flag uses (ich evaluate), or"
                    + " ich.score.threshold before the version was evaluated";
            case "flag_threshold" -> "its threshold on max_p_any";
            case "flagged" -> "max_p_any >= flag_threshold: the study goes on the worklist";
            case "heatmap_peak_row" -> "where occluding the key slice (top_slice_key_any) lowered p(any) most: row on the"
                    + " heatmap_size grid (0 = top); flagged studies only (slice_heatmaps)";
            case "heatmap_peak_col" -> "its column (0 = image left)";
            case "heatmap_size" -> "size of the heatmap grid (the network's input size)";
            case "triage_rank" -> "1 = highest max_p_any among this model's studies";
            default -> column;
        };
    }

    private static String[] rest(String[] columns) {
        String[] out = new String[columns.length - 1];
        System.arraycopy(columns, 1, out, 0, out.length);
        return out;
    }
}
