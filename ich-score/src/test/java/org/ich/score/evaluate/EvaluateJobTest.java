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
import java.util.List;
import java.util.ServiceLoader;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.PrivacyConfig;
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
