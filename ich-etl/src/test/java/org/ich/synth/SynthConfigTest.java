package org.ich.synth;

import org.ich.config.ConfigError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SynthConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheDocumentedOnes() {
        SynthConfig c = SynthFixture.config(dir);
        assertEquals(10, c.patients());
        assertEquals(42, c.seed());
        assertEquals(0.5, c.bleedFraction());
        assertEquals(5, c.duplicateLabelRows());
    }

    @Test
    void mistakesNameTheirKey() {
        assertKey("ich.synth.patients", "ich.synth.patients=0");
        assertKey("ich.synth.min-slices", "ich.synth.min-slices=30", "ich.synth.max-slices=20");
        assertKey("ich.synth.bleed-fraction", "ich.synth.bleed-fraction=1.5");
        assertKey("ich.synth.signed-fraction", "ich.synth.signed-fraction=0.6", "ich.synth.bad-intercept-fraction=0.6");
        assertKey("ich.synth.matrix", "ich.synth.matrix=16");
        assertKey("ich.synth.labels", "ich.synth.labels=\"" + dir.resolve("dicom/labels.csv").toUri() + "\"");
    }

    @Test
    void quotasKeepEverySwitchedOnFeature() {
        assertEquals(0, SynthConfig.quota(0, 2));
        assertEquals(1, SynthConfig.quota(0.2, 2));
        assertEquals(2, SynthConfig.quota(0.2, 10));
        assertEquals(3, SynthConfig.quota(1, 3));
    }

    private void assertKey(String key, String... overrides) {
        ConfigError e = assertThrows(ConfigError.class, () -> SynthFixture.config(dir, overrides));
        assertEquals(key, e.key(), e.getMessage());
    }
}
