package org.ich.score.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.LongAccumulator;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.etl.job.EtlSummary;
import org.ich.etl.job.PinnedTable;
import org.ich.etl.job.SliceTable;
import org.ich.score.ScoreConfig;
import org.ich.score.ScoringModel;
import org.ich.score.ml.HemorrhageModel;
import org.ich.score.Tta;
import org.ich.spark.Phases;
import org.ich.spark.Progress;
import org.ich.spark.RunCheckpoints;

/**
 * {@code ich score}: slices (optionally only those just ingested from raw DICOM, see {@link ScoreCommand#score}) -> the
 * {@link HemorrhageModel}'s per-slice probabilities in
 * {@code predictions} -> the per-study rollup in {@code study_predictions}.
 *
 * <p>Rows are keyed by (SOPInstanceUID, model version) and written with one MERGE, so a rerun replaces rather than
 * duplicates; by default only slices this model has not scored yet are selected, so a nightly rerun does no work twice.
 * The scored rows are saved before the MERGE: the commit changes {@code predictions}, which the selection read.
 */
public final class ScoreJob {
    private final SparkSession spark;
    private final ScoreConfig cfg;
    private final ScoringModel model;
    private final PrintStream out;
    private final CommonConfig common;

    public ScoreJob(SparkSession spark, ScoreConfig cfg, ScoringModel model, PrintStream out) {
        this.spark = spark;
        this.cfg = cfg;
        this.model = model;
        this.out = out;
        this.common = cfg.common();
    }

    /** Scores the selected slices of the whole table. */
    public ScoreSummary run() {
        return run(null, null);
    }

    /**
     * Scores the selected slices among those the files of {@code listing} ({@link org.ich.etl.job.DicomListing#list})
     * became, after {@code ingested}, the ETL of those files (see {@link ScoreCommand#score}).
     */
    public ScoreSummary run(Dataset<Row> listing, EtlSummary ingested) {
        long t0 = System.nanoTime();
        Instant start = Instant.now();
        String runId = runId(start);
        Phases phases = new Phases(spark, "score", out);
        String slicesTable = common.table(SliceTable.NAME);
        if (!spark.catalog().tableExists(slicesTable)) {
            throw new UserError("table " + slicesTable + " does not exist; run `ich etl` first or give ich.score.input");
        }
        PredictionTable.ensure(spark, common);
        Dataset<Row> slices = PinnedTable.read(spark, slicesTable);
        Dataset<Row> candidates = candidates(slices, listing);
        long candidateCount = candidates.count();
        out.printf("score: run %s, model %s (%s, %d x %d px x %d channels%s), tta %s, %d slices to score (%s)%n", runId,
                model.version(), String.join(",", model.labels()), model.size(), model.size(), model.channels(),
                model.neighbours() ? ", 2.5D" : "", Tta.describe(cfg.tta()), candidateCount,
                cfg.select().name().toLowerCase(Locale.ROOT));

        RunCheckpoints checkpoints = new RunCheckpoints(spark, common.warehouse(), "score");
        long scored = 0;
        double inferenceSeconds = 0;
        if (candidateCount > 0) {
            checkShape(slices);
            long inferStart = System.nanoTime();
            LongAccumulator done = spark.sparkContext().longAccumulator("score.slices");
            Dataset<Row> rows;
            try (Progress ignored = new Progress("score: slices", candidateCount, done, out, Duration.ofSeconds(10))) {
                rows = phases.described("inference", () -> checkpoints.save(predict(slices, candidates, Timestamp.from(start),
                        runId, done)));
            }
            inferenceSeconds = (System.nanoTime() - inferStart) / 1e9;
            out.printf("score: inference in %.1f s%n", inferenceSeconds);
            scored = rows.count();
            phases.run("commit predictions", () -> merge(rows));
        }
        phases.run("refresh study_predictions", () -> StudyPredictionTable.refresh(spark, common, model.version(), cfg.threshold()));
        checkpoints.drop(out);
        long studies = spark.table(common.table(StudyPredictionTable.NAME))
                .where(col("model_version").equalTo(lit(model.version()))).count();
        long total = spark.table(common.table(PredictionTable.NAME)).count();
        return new ScoreSummary(runId, model.version(), Tta.describe(cfg.tta()), ingested, candidateCount, scored,
                studies, total, inferenceSeconds, (System.nanoTime() - t0) / 1e9 + (ingested == null ? 0 : ingested.seconds()));
    }

    /** The slices this run scores: those of ich.score.input if given, less those this model scored already. */
    private Dataset<Row> candidates(Dataset<Row> slices, Dataset<Row> listing) {
        Dataset<Row> chosen = slices;
        if (listing != null) {
            Dataset<Row> listed = listing.select(col("path").as("source_uri"));
            chosen = chosen.join(listed, chosen.col("source_uri").equalTo(listed.col("source_uri")), "left_semi");
        }
        if (cfg.select() == ScoreConfig.Select.UNSCORED) {
            Dataset<Row> done = PinnedTable.read(spark, common.table(PredictionTable.NAME))
                    .where(col("model_version").equalTo(lit(model.version()))).select(col("sop_instance_uid").as("done_sop"));
            chosen = chosen.join(done, chosen.col("sop_instance_uid").equalTo(done.col("done_sop")), "left_anti");
        }
        return chosen;
    }

    /** The model's input channels must be the table's windows (times 3 for 2.5D); sizes may differ (resized). */
    private void checkShape(Dataset<Row> slices) {
        Row shape = slices.select("tensor_channels").limit(1).collectAsList().get(0);
        int channels = shape.getInt(0) * (model.neighbours() ? 3 : 1);
        if (channels != model.channels()) {
            throw new UserError("model " + model.version() + " reads " + model.channels() + " channels but the slices table"
                    + " gives " + channels + (model.neighbours() ? " (3 x its windows)" : "") + "; score with a model"
                    + " trained on this table's windows (ich.score.model)");
        }
    }

    private Dataset<Row> predict(Dataset<Row> slices, Dataset<Row> candidates, Timestamp scoredAt, String runId,
                                 LongAccumulator done) {
        HemorrhageModel network = new HemorrhageModel(model).setTta(cfg.tta()).setBatchSize(cfg.batchSize())
                .setPartitions(cfg.partitions()).setProgress(done);
        // For 2.5D, only the series being scored are needed as neighbours.
        Dataset<Row> series = model.neighbours()
                ? slices.join(candidates.select("series_key").distinct(), "series_key", "left_semi") : slices;
        List<Column> inputs = new ArrayList<>();
        for (String c : PredictionTable.fromSlices()) inputs.add(col(c));
        for (String c : List.of("tensor", "tensor_channels", "tensor_size")) inputs.add(col(c));
        Dataset<Row> scored = network.transform(candidates.select(inputs.toArray(Column[]::new)), series);
        out.printf("score: %d partitions%n", scored.rdd().getNumPartitions());
        List<Column> row = new ArrayList<>();
        for (StructField f : PredictionTable.SCHEMA.fields()) {
            row.add(switch (f.name()) {
                case "model_version" -> lit(model.version()).as(f.name());
                case "scored_at" -> lit(scoredAt).as(f.name());
                case "run_id" -> lit(runId).as(f.name());
                case "tta" -> lit(Tta.describe(cfg.tta())).as(f.name());
                // A model of fewer labels than the table has leaves the others null.
                default -> f.name().startsWith("p_") && !scored.schema().getFieldIndex(f.name()).isDefined()
                        ? lit(null).cast(DataTypes.DoubleType).as(f.name()) : col(f.name());
            });
        }
        return scored.select(row.toArray(Column[]::new));
    }

    private void merge(Dataset<Row> rows) {
        rows.createOrReplaceTempView("ich_score_new_predictions");
        spark.sql("MERGE INTO " + common.table(PredictionTable.NAME) + " t USING ich_score_new_predictions s"
                + " ON t.sop_instance_uid = s.sop_instance_uid AND t.model_version = s.model_version"
                + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    }

    /** {@code yyyyMMddTHHmmssZ-xxxxxxxx}: sorts by start time, unique across concurrent starts. */
    public static String runId(Instant start) {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(start) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
