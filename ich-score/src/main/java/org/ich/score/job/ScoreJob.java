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
import java.util.function.Function;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.etl.job.EtlSummary;
import org.ich.etl.job.PinnedTable;
import org.ich.etl.job.SliceTable;
import org.ich.score.ScoreConfig;
import org.ich.score.ScoringModel;
import org.ich.score.ml.HemorrhageModel;
import org.ich.train.model.Tta;
import org.ich.spark.Phases;
import org.ich.spark.Progress;
import org.ich.spark.RunCheckpoints;
import org.ich.train.sequence.job.ContextPredictFunction;
import org.ich.train.sequence.job.ContextStage;
import org.ich.train.sequence.job.SeriesRows;
import org.ich.train.sequence.job.SeriesScores;
import org.ich.train.sequence.job.SliceEmbeddingTable;
import org.ich.train.sequence.job.SliceEmbeddings;

/**
 * {@code ich score}: slices (optionally only those just ingested from raw DICOM, see {@link ScoreCommand#score}) -> the
 * {@link HemorrhageModel}'s per-slice probabilities in
 * {@code predictions} -> the per-study rollup in {@code study_predictions}.
 *
 * <p>Rows are keyed by (slice_key, model version) and written with one MERGE, so a rerun replaces rather than
 * duplicates; by default only slices this model has not scored yet are selected, so a nightly rerun does no work twice.
 * The scored rows are saved before the MERGE: the commit changes {@code predictions}, which the selection read.
 */
public final class ScoreJob {
    private final SparkSession spark;
    private final ScoreConfig cfg;
    private final ScoringModel model;
    private final PrintStream out;
    private final CommonConfig common;

    private final boolean heatmaps;

    public ScoreJob(SparkSession spark, ScoreConfig cfg, ScoringModel model, PrintStream out) {
        this(spark, cfg, model, true, out);
    }

    private ScoreJob(SparkSession spark, ScoreConfig cfg, ScoringModel model, boolean heatmaps, PrintStream out) {
        this.spark = spark;
        this.cfg = cfg;
        this.model = model;
        this.heatmaps = heatmaps;
        this.out = out;
        this.common = cfg.common();
    }

    /**
     * The same job without the flagged studies' heatmaps: for {@code ich evaluate}, whose operating point changes the
     * flags right after scoring (it maps the studies flagged then).
     */
    public ScoreJob withoutHeatmaps() {
        return new ScoreJob(spark, cfg, model, false, out);
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
        out.printf("score: run %s, model %s (%s, %d x %d px x %d channels%s%s), tta %s, %d slices to score (%s)%n", runId,
                model.version(), String.join(",", model.labels()), model.size(), model.size(), model.channels(),
                model.neighbours() ? ", 2.5D" : "", model.context() == null ? "" : ", + context stage", describedViews(),
                candidateCount, cfg.select().name().toLowerCase(Locale.ROOT));
        if (model.context() != null && !describedViews().equals(Tta.describe(cfg.tta()))) {
            out.printf("score: the context stage was trained on embeddings averaged over %s, so they are computed that"
                    + " way (ich.score.tta %s does not apply to this model)%n", describedViews(), Tta.describe(cfg.tta()));
        }

        RunCheckpoints checkpoints = new RunCheckpoints(spark, common.warehouse(), "score");
        long scored = 0;
        double inferenceSeconds = 0;
        if (candidateCount > 0) {
            checkShape(slices);
            long inferStart = System.nanoTime();
            LongAccumulator done = spark.sparkContext().longAccumulator("score.slices");
            Dataset<Row> rows;
            try (Progress ignored = new Progress("score: slices", candidateCount, done, out, Duration.ofSeconds(10))) {
                rows = model.context() == null
                        ? phases.described("inference", () -> checkpoints.save(predict(slices, candidates,
                                Timestamp.from(start), runId, done)))
                        : inContext(phases, checkpoints, slices, candidates, candidateCount, Timestamp.from(start), runId,
                                done);
            }
            inferenceSeconds = (System.nanoTime() - inferStart) / 1e9;
            out.printf("score: inference in %.1f s%n", inferenceSeconds);
            scored = rows.count();
            phases.run("commit predictions", () -> merge(rows));
        }
        StudyPredictionTable.Flag flag = StudyPredictionTable.Flag.of(model, cfg.threshold());
        phases.run("refresh study_predictions", () -> {
            if (heatmaps) StudyPredictionTable.refreshMapped(spark, common, model, cfg.threshold(), flag, out);
            else StudyPredictionTable.refresh(spark, common, model.version(), cfg.threshold(), flag);
        });
        checkpoints.drop(out);
        long studies = spark.table(common.table(StudyPredictionTable.NAME))
                .where(col("model_version").equalTo(lit(model.version()))).count();
        long total = spark.table(common.table(PredictionTable.NAME)).count();
        return new ScoreSummary(runId, model.version(), describedViews(), ingested, candidateCount, scored,
                studies, total, inferenceSeconds, (System.nanoTime() - t0) / 1e9 + (ingested == null ? 0 : ingested.seconds()));
    }

    /**
     * The slices this run scores: those of ich.score.input if given (of ich.score.split if set), less those this model
     * scored already.
     */
    private Dataset<Row> candidates(Dataset<Row> slices, Dataset<Row> listing) {
        Dataset<Row> chosen = cfg.split().isEmpty() ? slices : slices.where(col("split").equalTo(lit(cfg.split())));
        if (listing != null) {
            // By the listing's file keys, the same pseudonym the ETL wrote: the paths stay out of the plan's join.
            Dataset<Row> listed = listing.select(col("file_key").as("listed_file"));
            chosen = chosen.join(listed, chosen.col("file_key").equalTo(listed.col("listed_file")), "left_semi");
        }
        if (cfg.select() == ScoreConfig.Select.UNSCORED) {
            Dataset<Row> done = PinnedTable.read(spark, common.table(PredictionTable.NAME))
                    .where(col("model_version").equalTo(lit(model.version()))).select(col(SliceTable.KEY).as("done_slice"));
            chosen = chosen.join(done, chosen.col(SliceTable.KEY).equalTo(done.col("done_slice")), "left_anti");
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
                ? inSeriesOf(slices, candidates) : slices;
        List<Column> inputs = new ArrayList<>();
        for (String c : PredictionTable.fromSlices()) inputs.add(col(c));
        for (String c : List.of("tensor", "tensor_channels", "tensor_size")) inputs.add(col(c));
        Dataset<Row> scored = network.transform(candidates.select(inputs.toArray(Column[]::new)), series);
        out.printf("score: %d partitions%n", scored.rdd().getNumPartitions());
        return scored.select(predictionRow(scoredAt, runId, Tta.describe(cfg.tta()), name -> switch (name) {
            case "p_series_any" -> lit(null).cast(DataTypes.DoubleType);
            // The slice stage is the final one: its probabilities are both column families'.
            default -> probability(scored, name.startsWith("p_slice_") ? "p_" + name.substring(8) : name);
        }));
    }

    /** The columns of a {@code predictions} row: this run's and model's, then {@code scored}'s for the rest. */
    private Column[] predictionRow(Timestamp scoredAt, String runId, String views, Function<String, Column> scored) {
        List<Column> row = new ArrayList<>();
        for (StructField f : PredictionTable.SCHEMA.fields()) {
            Column value = switch (f.name()) {
                case "model_version" -> lit(model.version());
                case "scored_at" -> lit(scoredAt);
                case "run_id" -> lit(runId);
                case "tta" -> lit(views);
                default -> scored.apply(f.name());
            };
            row.add(value.as(f.name()));
        }
        return row.toArray(Column[]::new);
    }

    /** The rows of {@code rows} in a series that one of {@code candidates} belongs to. */
    private static Dataset<Row> inSeriesOf(Dataset<Row> rows, Dataset<Row> candidates) {
        return rows.join(candidates.select("series_key").distinct(), "series_key", "left_semi");
    }

    /** A model of fewer labels than the table has leaves the others null. */
    private static Column probability(Dataset<Row> scored, String column) {
        return column.startsWith("p_") && !scored.schema().getFieldIndex(column).isDefined()
                ? lit(null).cast(DataTypes.DoubleType) : col(column);
    }

    /** The test-time views this run's probabilities average: the context stage's own for a two-stage model. */
    private String describedViews() {
        return model.context() == null ? Tta.describe(cfg.tta()) : model.context().file().views();
    }

    /**
     * A two-stage model: the candidates' embeddings (merged into {@code slice_embeddings}), then the context stage over
     * the whole of every series they belong to, as that table holds it for this model, so a slice that arrives late
     * changes its neighbours' probabilities too. Every slice of those series gets a fresh row; the slice stage's
     * probabilities are kept as {@code p_slice_*}.
     */
    private Dataset<Row> inContext(Phases phases, RunCheckpoints checkpoints, Dataset<Row> slices, Dataset<Row> candidates,
                                   long candidateCount, Timestamp scoredAt, String runId, LongAccumulator done) {
        ContextStage context = model.context();
        String embeddings = common.table(SliceEmbeddingTable.NAME);
        List<Tta> views = Tta.parseAll(context.file().views());
        SliceEmbeddingTable.ensure(spark, common);
        // Embeddings are deterministic: those this version stored after the slice was last ingested (training's) are
        // reused; a file rewritten in place since then is embedded again.
        Dataset<Row> known = spark.table(embeddings).where(col("model_version").equalTo(lit(model.version())))
                .select(col(SliceTable.KEY).as("known_slice"), col("computed_at").as("known_at"));
        Dataset<Row> toEmbed = candidates.join(known, candidates.col(SliceTable.KEY).equalTo(known.col("known_slice"))
                .and(known.col("known_at").geq(candidates.col("ingested_at"))), "left_anti");
        Dataset<Row> series = inSeriesOf(slices, candidates);
        Dataset<Row> embedded = phases.described("slice stage", () -> checkpoints.save(SliceEmbeddings.compute(spark,
                model.sliceStage(), series, toEmbed, views, cfg.batchSize(), scoredAt, done)));
        long computed = embedded.count();
        done.add(Math.max(0, candidateCount - computed));
        if (computed > 0) phases.run("commit slice_embeddings", () -> SliceEmbeddingTable.merge(spark, common, embedded));
        Dataset<Row> touched = inSeriesOf(PinnedTable.read(spark, embeddings)
                .where(col("model_version").equalTo(lit(model.version()))), candidates);
        return phases.described("context stage", () -> {
            Broadcast<ContextStage> network = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(context);
            int outputs = model.outputs();
            JavaRDD<Row> scores = SeriesRows.unlabelled(touched, outputs)
                    .mapPartitions(new ContextPredictFunction(network, CONTEXT_BATCH))
                    .flatMap(s -> contextRows(s, outputs).iterator());
            Dataset<Row> contextual = spark.createDataFrame(scores, CONTEXT_SCHEMA);
            List<Column> sliceColumns = new ArrayList<>();
            for (String c : PredictionTable.fromSlices()) sliceColumns.add(col(c));
            Dataset<Row> rows = contextual
                    .join(slices.select(sliceColumns.toArray(Column[]::new)), SliceTable.KEY)
                    .join(touched.select(pSlice()), SliceTable.KEY);
            return checkpoints.save(rows.select(predictionRow(scoredAt, runId, context.file().views(), functions::col)));
        });
    }

    /** Series scored per network call by the context stage (it is small; a series is tens of slices). */
    private static final int CONTEXT_BATCH = 16;

    /** The context stage's outputs per slice: p_<label> for each label (null beyond the model's), and p_series_any. */
    private static final StructType CONTEXT_SCHEMA;

    static {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField(SliceTable.KEY, DataTypes.StringType, false));
        for (String label : Labels.NAMES) f.add(DataTypes.createStructField("p_" + label, DataTypes.DoubleType, true));
        f.add(DataTypes.createStructField("p_series_any", DataTypes.DoubleType, true));
        CONTEXT_SCHEMA = new StructType(f.toArray(StructField[]::new));
    }

    private static List<Row> contextRows(SeriesScores s, int outputs) {
        List<Row> rows = new ArrayList<>(s.slices().length);
        for (int t = 0; t < s.slices().length; t++) {
            Object[] v = new Object[Labels.COUNT + 2];
            v[0] = s.slices()[t];
            for (int l = 0; l < Labels.COUNT; l++) v[1 + l] = l < outputs ? s.probabilities()[t][l] : null;
            v[Labels.COUNT + 1] = s.seriesAny();
            rows.add(RowFactory.create(v));
        }
        return rows;
    }

    private static Column[] pSlice() {
        List<Column> c = new ArrayList<>(List.of(col(SliceTable.KEY)));
        for (String label : Labels.NAMES) c.add(col("p_slice_" + label));
        return c.toArray(Column[]::new);
    }

    private void merge(Dataset<Row> rows) {
        rows.createOrReplaceTempView("ich_score_new_predictions");
        spark.sql("MERGE INTO " + common.table(PredictionTable.NAME) + " t USING ich_score_new_predictions s"
                + " ON t." + SliceTable.KEY + " = s." + SliceTable.KEY + " AND t.model_version = s.model_version"
                + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    }

    /** {@code yyyyMMddTHHmmssZ-xxxxxxxx}: sorts by start time, unique across concurrent starts. */
    public static String runId(Instant start) {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(start) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
