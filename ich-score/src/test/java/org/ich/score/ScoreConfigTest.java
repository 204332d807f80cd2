package org.ich.score;

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
