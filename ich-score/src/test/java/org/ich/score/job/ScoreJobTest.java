package org.ich.score.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.Main;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.PrivacyConfig;
import org.ich.etl.job.CrosswalkTable;
import org.ich.etl.job.SliceTable;
import org.ich.score.ModelChoice;
import org.ich.score.ScoreConfig;
import org.ich.score.testing.ScoringFixture;
import org.ich.testing.SyntheticArchive;
import org.ich.train.job.TrainJob;
import org.ich.domain.Labels;
import org.ich.train.registry.ModelRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** ich score on local[2] with a model the real training job made, against the real tables. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoreJobTest {
    static ScoringFixture fixture;
    static long slices;

    @BeforeAll
    static void fixture() throws IOException {
        fixture = ScoringFixture.get();
        slices = spark().table("slices").count();
    }

    static SparkSession spark() {
        return fixture.spark();
    }

    static ScoreSummary score(String... overrides) {
        Settings settings = fixture.settings(overrides);
        ScoreConfig cfg = ScoreConfig.from(settings);
        return ScoreCommand.score(spark(), cfg, cfg.input() == null ? null : EtlConfig.from(settings),
                ModelChoice.resolve(ModelRegistry.from(settings), cfg.model()), new PrintStream(new ByteArrayOutputStream()));
    }

    static Dataset<Row> predictions(String version) {
        return spark().table("predictions").where(col("model_version").equalTo(lit(version)));
    }

    @Test
    @Order(1)
    void everySliceIsScoredOnceWithItsKeysAndProbabilities() {
        // Other tests of the shared fixture may have scored some already (ich evaluate scores the valid split).
        long before = spark().catalog().tableExists("predictions") ? predictions(fixture.champion()).count() : 0;
        ScoreSummary run = score();
        assertEquals(fixture.champion(), run.modelVersion());
        assertEquals("identity+hflip", run.tta());
        assertEquals(slices - before, run.scored());
        Dataset<Row> p = predictions(fixture.champion());
        assertEquals(slices, p.count());
        assertEquals(slices, p.select(SliceTable.KEY).distinct().count());

        Dataset<Row> s = spark().table("slices");
        Column sameKeys = p.col("patient_key").equalTo(s.col("patient_key")).and(p.col("study_key").equalTo(s.col("study_key")))
                .and(p.col("series_key").equalTo(s.col("series_key"))).and(p.col("slice_index").equalTo(s.col("slice_index")))
                .and(p.col("is_empty").equalTo(s.col("is_empty"))).and(p.col("file_key").equalTo(s.col("file_key")));
        assertEquals(slices, p.join(s, p.col(SliceTable.KEY).equalTo(s.col(SliceTable.KEY))).where(sameKeys).count());

        Column outOfRange = lit(false);
        for (String c : Labels.PREDICTION_COLUMNS) outOfRange = outOfRange.or(col(c).isNull()).or(col(c).lt(0)).or(col(c).gt(1));
        assertEquals(0, p.where(outOfRange).count(), "six probabilities in [0, 1] on every row");
        long empty = s.where(col("is_empty")).count();
        assertTrue(empty > 0, "the cohort has near-empty end slices");
        assertEquals(empty, p.where(col("is_empty")).count(), "near-empty slices are scored too");
        assertEquals(slices - before, p.where(col("run_id").equalTo(lit(run.runId()))).count(),
                "this run wrote a row for each slice it scored, under its id");
        assertEquals(1, p.where(col("run_id").equalTo(lit(run.runId()))).select("scored_at").distinct().count());
    }

    /** The champion has a context stage: its outputs are p_*, the slice stage's stay beside them, once per slice. */
    @Test
    @Order(2)
    void bothStagesProbabilitiesAreKeptOncePerSliceAndModel() {
        Dataset<Row> p = predictions(fixture.champion());
        Column missing = col("p_series_any").isNull();
        for (String label : Labels.NAMES) missing = missing.or(col("p_slice_" + label).isNull());
        assertEquals(0, p.where(missing).count(), "slice stage and series-level probabilities on every row");
        assertTrue(p.where(col("p_any").notEqual(col("p_slice_any"))).count() > 0, "p_any is the context stage's");
        assertEquals(1, p.groupBy("series_key").agg(org.apache.spark.sql.functions.countDistinct("p_series_any").as("n"))
                .agg(max("n")).first().getLong(0), "one series-level probability per series");
        Dataset<Row> embedded = spark().table("slice_embeddings").where(col("model_version").equalTo(lit(fixture.champion())));
        // Training embedded the train and valid slices; scoring found them and embedded only the rest.
        assertEquals(slices, embedded.count());
        assertEquals(slices, embedded.select(SliceTable.KEY).distinct().count());
        Dataset<Row> studies = spark().table("study_predictions").where(col("model_version").equalTo(lit(fixture.champion())));
        assertEquals(0, studies.where(col("max_p_series_any").isNull()).count());
    }

    @Test
    @Order(3)
    void aStudysRollupIsTheMaxOverItsSlices() {
        Dataset<Row> studies = spark().table("study_predictions").where(col("model_version").equalTo(lit(fixture.champion())));
        assertEquals(spark().table("slices").select("study_key").distinct().count(), studies.count());
        List<Column> expected = new ArrayList<>();
        for (String label : Labels.NAMES) {
            expected.add(max("p_" + label).as("e_max_" + label));
            expected.add(count_if(col("p_" + label).gt(0.5)).as("e_above_" + label));
        }
        Dataset<Row> truth = predictions(fixture.champion()).groupBy("study_key")
                .agg(expected.get(0), expected.subList(1, expected.size()).toArray(Column[]::new));
        List<Row> joined = studies.join(truth, "study_key").collectAsList();
        assertEquals(studies.count(), joined.size());
        for (Row r : joined) {
            for (String label : Labels.NAMES) {
                assertEquals((double) r.getAs("e_max_" + label), (double) r.getAs("max_p_" + label), 0.0, label);
                assertEquals((long) r.getAs("e_above_" + label), (long) r.getAs("slices_above_" + label), label);
            }
        }
        // The top slice of each label carries the study's maximum.
        Dataset<Row> p = predictions(fixture.champion());
        for (String label : List.of("any", "subdural")) {
            Dataset<Row> top = studies.join(p, studies.col(StudyPredictionTable.topSliceKey(label)).equalTo(p.col(SliceTable.KEY))
                    .and(studies.col("top_slice_index_" + label).equalTo(p.col("slice_index")))
                    .and(studies.col("max_p_" + label).equalTo(p.col("p_" + label))));
            assertEquals(studies.count(), top.count(), "top slice of " + label);
        }
        List<Row> ranked = studies.orderBy("triage_rank").select("triage_rank", "max_p_any").collectAsList();
        for (int i = 0; i < ranked.size(); i++) {
            assertEquals(i + 1, ranked.get(i).getInt(0));
            if (i > 0) assertTrue(ranked.get(i).getDouble(1) <= ranked.get(i - 1).getDouble(1), "triage order");
        }
    }

    @Test
    @Order(4)
    void aRerunAddsNothingAndRescoringReplacesRows() {
        ScoreSummary again = score();
        assertEquals(0, again.scored(), "the default selection skips slices this model scored");
        assertEquals(slices, predictions(fixture.champion()).count());

        ScoreSummary all = score("ich.score.select=all");
        assertEquals(slices, all.scored());
        assertEquals(slices, predictions(fixture.champion()).count(), "replaced, not duplicated");
        assertEquals(List.of(all.runId()), predictions(fixture.champion()).select("run_id").distinct()
                .collectAsList().stream().map(r -> r.getString(0)).toList());
        assertEquals(slices, spark().table("slice_embeddings").where(col("model_version").equalTo(lit(fixture.champion())))
                .count(), "embeddings replaced, not duplicated");
    }

    @Test
    @Order(5)
    void aSecondModelVersionAddsItsOwnRows() throws IOException {
        TrainJob.Result second = ScoringFixture.train(spark(), fixture.settings("ich.train.seed=2", "ich.train.epochs=1",
                "ich.train.sequence.enabled=false"));
        String version = second.version().id();
        ScoreSummary run = score("ich.score.model=\"" + version + "\"");
        assertEquals(slices, run.scored());
        assertEquals(slices, predictions(version).count());
        assertEquals(0, predictions(version).where(col("p_slice_any").notEqual(col("p_any")).or(col("p_series_any").isNotNull()))
                .count(), "a model of the slice stage alone: p_slice_* = p_*, no series-level probability");
        assertEquals(slices, predictions(fixture.champion()).count());
        assertEquals(2 * slices, spark().table("predictions").count());
        long studies = spark().table("slices").select("study_key").distinct().count();
        Dataset<Row> rollup = spark().table("study_predictions");
        assertEquals(Set.of(fixture.champion(), version), rollup.select("model_version").distinct().collectAsList().stream()
                .map(r -> r.getString(0)).collect(Collectors.toSet()));
        assertEquals(2 * studies, rollup.count());
    }

    @Test
    @Order(6)
    void rawDicomIsIngestedScoredAndCorruptFilesAreQuarantinedNotFatal() throws Exception {
        Path raw = fixture.dir().resolve("incoming");
        SyntheticArchive incoming = SyntheticArchive.write(raw, 1, "ich.synth.seed=77", "ich.synth.min-slices=6",
                "ich.synth.max-slices=6");
        Path dicom = incoming.dicom();
        Files.write(dicom.resolve("garbage.dcm"), "not a DICOM file at all".getBytes());
        Path real;
        try (Stream<Path> files = Files.walk(dicom)) {
            real = files.filter(Files::isRegularFile).filter(f -> !f.endsWith("garbage.dcm")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(real);
        Files.write(dicom.resolve("truncated.dcm"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        long files;
        try (Stream<Path> all = Files.walk(dicom)) {
            files = all.filter(Files::isRegularFile).count();
        }

        List<String> args = new ArrayList<>(List.of("score", "--input", dicom.toUri().toString()));
        args.addAll(fixture.overrides());
        assertEquals(0, Main.execute(args.toArray(String[]::new)), "corrupt inputs do not fail the job");

        // The analyst tables name files by key only; the crosswalk tells which keys are the incoming files.
        String prefix = dicom.toUri().toString().replaceFirst("^file:///", "file:/");
        Dataset<Row> incomingFiles = CrosswalkTable.read(spark(), PrivacyConfig.Crosswalk.from(fixture.settings()), "the test")
                .where(col("source_uri").startsWith(prefix)).select("file_key");
        assertEquals(files, incomingFiles.count(), "the crosswalk holds every incoming file");
        long quarantined = spark().table("quarantine").join(incomingFiles, "file_key").count();
        assertEquals(2, quarantined, "the garbage file and the truncated copy");
        // The champion now: the second version of an earlier test may have won the promotion.
        String champion = ModelRegistry.from(fixture.settings()).champion().orElseThrow().id();
        Dataset<Row> scored = predictions(champion).join(incomingFiles, "file_key");
        assertEquals(files - 2, scored.count(), "every readable incoming file scored once");
        assertEquals(files - 2, spark().table("slices").join(incomingFiles, "file_key").count());
    }
}
