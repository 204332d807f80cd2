package org.ich.score;

import org.ich.train.model.Tta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.ich.config.ConfigError;
import org.ich.pipeline.PipelineConfig;
import org.ich.score.report.ReportConfig;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;

/** The scoring, report and pipeline settings: defaults as documented, and errors that name the key. */
class ScoreConfigTest {
    static final Path DIR = Path.of("/tmp/ich-score-config-test");

    @Test
    void defaultsAreTheDocumentedOnes() {
        ScoreConfig score = ScoreConfig.from(TestSettings.under(DIR));
        assertTrue(score.champion());
        assertNull(score.input());
        assertEquals(ScoreConfig.Select.UNSCORED, score.select());
        assertEquals(List.of(Tta.IDENTITY, Tta.HFLIP), score.tta());
        assertEquals(0.5, score.threshold());
        assertNull(ReportConfig.from(TestSettings.under(DIR)).runId());
        PipelineConfig pipeline = PipelineConfig.from(TestSettings.under(DIR));
        assertEquals(PipelineConfig.TrainWhen.NEW_DATA, pipeline.train());
        assertTrue(pipeline.warmStart());
    }

    @Test
    void thePipelinesStepsGetDerivedTypedConfigs() {
        PipelineConfig pipeline = PipelineConfig.from(TestSettings.under(DIR, "ich.score.model=\"20260101-000000-abcdef01\"",
                "ich.score.select=all", "ich.score.input=\"file:/tmp/incoming\"", "ich.score.batch-size=7"));
        ScoreConfig nightly = pipeline.scoring().unscoredByChampion();
        assertTrue(nightly.champion());
        assertEquals(ScoreConfig.Select.UNSCORED, nightly.select());
        assertNull(nightly.input(), "the run's ETL ingested the input already");
        assertEquals(7, nightly.batchSize(), "the rest is the user's");

        java.net.URI champion = java.net.URI.create("file:/tmp/models/versions/v1/model.zip");
        org.ich.train.job.TrainConfig warm = pipeline.training().withInitModel(champion);
        assertEquals(champion, warm.initModel());
        assertNull(pipeline.training().initModel(), "the configured step is unchanged");
        assertEquals(champion.toString(), warm.snapshot().at("/train/init-model").asText(), "the manifest says so");
        assertEquals(pipeline.training().recipe(), warm.recipe());

        java.net.URI other = java.net.URI.create("file:/tmp/other");
        org.ich.etl.EtlConfig ingest = pipeline.etl().ingesting(other);
        assertEquals(other, ingest.input());
        assertNull(ingest.labels());
        assertEquals(pipeline.etl().pixels(), ingest.pixels());
    }

    @Test
    void theShippedSiteConfigsAreValidForEveryJob() {
        for (String file : List.of("local.conf", "cluster.conf")) {
            // Tests run in the module folder; conf/ is the repository's.
            java.io.File conf = Path.of("..", "conf", file).toFile();
            var s = new org.ich.config.Settings(org.ich.config.IchConf.load(conf, List.of()),
                    java.util.Map.of("ICH_PSEUDONYM_KEY", "a-pseudonym-key-for-this-test"));
            org.ich.etl.EtlConfig.from(s);
            org.ich.train.job.TrainConfig.from(s);
            org.ich.train.registry.RegistryConfig.from(s);
            ScoreConfig.from(s);
            ReportConfig.from(s);
            PipelineConfig.from(s);
        }
    }

    @Test
    void mistakesNameTheirKey() {
        assertKey("ich.score.tta", "ich.score.tta=[identity, rotate]");
        assertKey("ich.score.tta", "ich.score.tta=[]");
        assertKey("ich.score.select", "ich.score.select=some");
        assertKey("ich.score.threshold", "ich.score.threshold=1.5");
        assertKey("ich.score.model", "ich.score.model=\"\"");
        assertKey("ich.score.input", "ich.score.input=\"ftp://host/dicom\"");
        assertKey("ich.pipeline.train", "ich.pipeline.train=sometimes");
    }

    private static void assertKey(String key, String override) {
        ConfigError e = assertThrows(ConfigError.class, () -> {
            var s = TestSettings.under(DIR, override);
            ScoreConfig.from(s);
            PipelineConfig.from(s);
        }, override);
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
