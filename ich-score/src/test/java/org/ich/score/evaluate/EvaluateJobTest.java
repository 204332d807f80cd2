package org.ich.score.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.PrivacyConfig;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.SliceTable;
import org.ich.score.job.KeySliceHeatmaps;
import org.ich.score.job.StudyPredictionTable;
import org.ich.score.testing.ScoringFixture;
import org.ich.train.evaluation.Evaluation;
import org.ich.train.evaluation.EvaluationRow;
import org.ich.train.evaluation.Strata;
import org.ich.train.job.VersionEvaluation;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.junit.jupiter.api.Test;

/** ich evaluate on the fixture's champion: the evaluations table, the chosen operating points, the flags, reruns. */
class EvaluateJobTest {

    @Test
    void theValidSplitIsEvaluatedItsOperatingPointsStoredAndARerunReplacesItsRows() throws Exception {
        ScoringFixture f = ScoringFixture.get();
        Settings settings = f.settings("ich.evaluate.bootstrap=50");
        ModelRegistry registry = ModelRegistry.from(settings);
        SparkSession spark = f.spark();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        EvaluateJob.Result first = new EvaluateJob(spark, EvaluateConfig.from(settings), registry,
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        String table = EvaluateConfig.from(settings).common().table(EvaluationTable.NAME);
        long stored = spark.table(table).where(col("model_version").equalTo(lit(f.champion()))
                .and(col("split").equalTo(lit("valid")))).count();
        assertEquals(first.rows().size(), stored);
        long validStudies = spark.table(EvaluateConfig.from(settings).common().table("slices"))
                .where(col("split").equalTo(lit("valid"))).select("study_key").distinct().count();
        EvaluationRow studyAny = first.overall(Evaluation.STUDY, "any");
        assertEquals(validStudies, studyAny.count());
        assertEquals(Strata.ALL, studyAny.stratumKind());

        Manifest m = registry.readManifest(registry.find(f.champion()).orElseThrow());
        if (studyAny.positives() > 0) {
            Manifest.OperatingPoint primary = m.primaryOperatingPoint().orElseThrow();
            assertEquals("sens95", primary.name());
            assertTrue(primary.sensitivity() >= 0.95, "chosen on valid, it meets its target there: " + primary);
            assertEquals(2, m.operatingPoints().size());
            List<Row> flags = spark.table(EvaluateConfig.from(settings).common().table(StudyPredictionTable.NAME))
                    .where(col("model_version").equalTo(lit(f.champion())))
                    .select("max_p_any", "flag_threshold", "flagged", "operating_point").collectAsList();
            assertFalse(flags.isEmpty());
            for (Row r : flags) {
                assertEquals(primary.threshold(), r.getDouble(1));
                assertEquals(r.getDouble(0) >= primary.threshold(), r.getBoolean(2));
                assertEquals("sens95", r.getString(3));
            }
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("operating point sens95"), log.toString());
        }

        // Where the model looked, against the synthetic truth: every positive key slice with a heatmap is checked.
        HeatmapTruth.Share share = HeatmapTruth.measure(spark, EvaluateConfig.from(settings).common(),
                EtlConfig.from(settings).pixels(), PrivacyConfig.Crosswalk.from(settings), f.champion(),
                f.dir().resolve(ScoringFixture.MASKS).toUri());
        long positiveKeySlices = spark.sql("SELECT count(*) FROM slice_heatmaps h JOIN slices s USING (slice_key)"
                + " WHERE h.model_version = '" + f.champion() + "' AND s.label_any = 1").first().getLong(0);
        assertEquals(positiveKeySlices, share.slices());
        System.out.println("evaluate test: heatmap peaks on the blood mask " + share);

        EvaluateJob.Result again = new EvaluateJob(spark, EvaluateConfig.from(settings), registry,
                new PrintStream(new ByteArrayOutputStream())).run();
        assertEquals(stored, spark.table(table).where(col("model_version").equalTo(lit(f.champion()))
                .and(col("split").equalTo(lit("valid")))).count(), "a rerun replaces its rows");
        assertEquals(first.rows(), again.rows(), "the bootstrap is seeded: a rerun gives the same figures");
    }

    /**
     * Whatever the model flags: a map on a positive slice is checked against that slice's mask, which is named by the
     * SOP UID and read with the source DICOM, both of which only the crosswalk knows.
     */
    @Test
    void theHeatmapTruthReachesAKeySlicesMaskAndFileThroughTheCrosswalk() throws Exception {
        ScoringFixture f = ScoringFixture.get();
        Settings settings = f.settings();
        SparkSession spark = f.spark();
        CommonConfig common = CommonConfig.from(settings);
        Row positive = spark.table(common.table(SliceTable.NAME)).where(col("label_any").equalTo(1))
                .orderBy(SliceTable.KEY).select(SliceTable.KEY, "tensor_size").first();
        String version = "heatmap-truth-check";
        int size = positive.getInt(1);
        String heatmaps = common.table(KeySliceHeatmaps.NAME);
        EtlTables.createOrEvolve(spark, heatmaps, KeySliceHeatmaps.SCHEMA, "model_version", Map.of("format-version", "2"));
        Row map = RowFactory.create(version, positive.getString(0), "any", size, new byte[size * size * Float.BYTES], 0, 0,
                0.0, 0.5, new Timestamp(System.currentTimeMillis()));
        spark.createDataFrame(List.of(map), KeySliceHeatmaps.SCHEMA).writeTo(heatmaps).append();

        HeatmapTruth.Share share = HeatmapTruth.measure(spark, common, EtlConfig.from(settings).pixels(),
                PrivacyConfig.Crosswalk.from(settings), version, f.dir().resolve(ScoringFixture.MASKS).toUri());
        assertEquals(1, share.slices(), "the positive slice's mask found and its file decoded: " + share);
    }

    @Test
    void ichTrainFindsThisEvaluationBeforePromotion() {
        assertTrue(ServiceLoader.load(VersionEvaluation.Factory.class).stream()
                .anyMatch(p -> p.type() == ValidationEvaluation.class));
    }

    @Test
    void aSplitWithoutLabelledSlicesIsAClearError() throws Exception {
        ScoringFixture f = ScoringFixture.get();
        Settings settings = f.settings("ich.evaluate.split=test", "ich.evaluate.bootstrap=20");
        UserError e = assertThrows(UserError.class, () -> new EvaluateJob(f.spark(), EvaluateConfig.from(settings),
                ModelRegistry.from(settings), new PrintStream(new ByteArrayOutputStream())).run());
        assertTrue(e.getMessage().contains("split test has no labelled slices"), e.getMessage());
    }
}
