package org.ich.config;

import org.ich.etl.EtlConfig;
import org.ich.etl.PrivacyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class IchConfTest {
    /** Settings as the tests' synthetic data has them: the development key asked for explicitly. */
    private static Settings settings(List<String> overrides) {
        List<String> all = new java.util.ArrayList<>(List.of("ich.privacy.allow-dev-key=true"));
        all.addAll(overrides);
        return new Settings(IchConf.load(null, all), Map.of());
    }

    @Test
    void defaultsCoverEveryKeyTheEtlReads() {
        EtlConfig cfg = EtlConfig.from(settings(List.of()));
        assertEquals(256, cfg.pixels().size());
        assertEquals("brain:40:80,subdural:80:200,bone:600:2800", cfg.pixels().windowSpec());
        assertEquals(0.02, cfg.pixels().emptyThreshold());
        assertNull(cfg.labels());
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() {
        ConfigError e = assertThrows(ConfigError.class, () -> settings(List.of("ich.etl.sise=128")));
        assertEquals("ich.etl.sise", e.key());
        assertTrue(e.getMessage().contains("did you mean ich.etl.size"), e.getMessage());
    }

    @Test
    void wrongTypeAndRangeNameTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.size=big"))));
        assertEquals("ich.etl.size", e.key());
        e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.empty-threshold=1.5"))));
        assertEquals("ich.etl.empty-threshold", e.key());
        e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.split.train=0.9"))));
        assertEquals("ich.etl.split", e.key());
    }

    @Test
    void badUrisNameTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.input=\"ftp://host/x\""))));
        assertEquals("ich.etl.input", e.key());
        e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.input=\"s3a:///nobucket\""))));
        assertEquals("ich.etl.input", e.key());
        e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.labels=\"s3a://b/x y\""))));
        assertEquals("ich.etl.labels", e.key());
    }

    @Test
    void unquotedUriOverrideIsTakenAsAString() {
        EtlConfig cfg = EtlConfig.from(settings(List.of("ich.etl.input=s3a://bucket/dicom/")));
        assertEquals("s3a://bucket/dicom/", cfg.input().toString());
    }

    @Test
    void precedenceIsCommandLineOverFileOverDefaults(@TempDir Path dir) throws Exception {
        File conf = dir.resolve("site.conf").toFile();
        Files.writeString(conf.toPath(), "ich.etl.size = 128\nich.etl.crop-margin = 9\n");
        Settings s = new Settings(IchConf.load(conf, List.of("ich.etl.size=64")), Map.of());
        assertEquals(64, s.integer("ich.etl.size", 1, 4096));
        assertEquals(9, s.integer("ich.etl.crop-margin", 0, 100));
        assertEquals(0.02, s.number("ich.etl.empty-threshold", 0, 1));
    }

    @Test
    void sparkSettingsArePassedWithPlainKeys() {
        CommonConfig common = CommonConfig.from(settings(List.of("ich.spark.conf.\"spark.driver.host\"=\"127.0.0.1\"")));
        assertEquals("127.0.0.1", common.sparkConf().get("spark.driver.host"));
        assertEquals("8", common.sparkConf().get("spark.sql.shuffle.partitions"));
    }

    @Test
    void missingConfFileIsAnError() {
        ConfigError e = assertThrows(ConfigError.class, () -> IchConf.load(new File("/no/such.conf"), List.of()));
        assertEquals("--conf", e.key());
    }

    @Test
    void secretsComeFromTheEnvironmentAndAreNeverPrinted() {
        Settings s = new Settings(IchConf.load(null, List.of()), Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s3cr3t-value"));
        CommonConfig common = CommonConfig.from(s);
        assertEquals("s3cr3t-value", common.s3().secretKey());
        assertFalse(common.toString().contains("s3cr3t-value"));
        assertFalse(common.toString().contains("AKIAEXAMPLE"));
    }

    @Test
    void productionRefusesTheDevelopmentPseudonymKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> PrivacyConfig.from(new Settings(IchConf.load(null, List.of()), Map.of())));
        assertEquals("ich.privacy.pseudonym-key-env", e.key());
        assertTrue(e.getMessage().contains("ICH_PSEUDONYM_KEY") && e.getMessage().contains("export"), e.getMessage());
        Settings withKey = new Settings(IchConf.load(null, List.of()), Map.of("ICH_PSEUDONYM_KEY", "a-long-enough-secret-key"));
        PrivacyConfig privacy = PrivacyConfig.from(withKey);
        assertEquals("a-long-enough-secret-key", new String(privacy.pseudonymKey()));
        assertFalse(privacy.toString().contains("a-long-enough-secret-key"));
        PrivacyConfig dev = PrivacyConfig.from(settings(List.of()));
        assertTrue(dev.devKey());
        assertNotEquals(dev.keyId(), privacy.keyId());
    }

    @Test
    void theCrosswalkHasALocationOfItsOwn() {
        PrivacyConfig.Crosswalk beside = PrivacyConfig.Crosswalk.from(settings(List.of("ich.warehouse=\"s3a://lake/warehouse/\"")));
        assertEquals("s3a://lake/warehouse-crosswalk", beside.warehouse().toString());
        assertEquals("ich_crosswalk.phi.crosswalk", beside.table());
        ConfigError same = assertThrows(ConfigError.class, () -> PrivacyConfig.Crosswalk.from(settings(List.of(
                "ich.warehouse=\"s3a://lake/w\"", "ich.privacy.crosswalk.warehouse=\"s3a://lake/w/\""))));
        assertEquals("ich.privacy.crosswalk.warehouse", same.key());
        ConfigError catalog = assertThrows(ConfigError.class, () -> PrivacyConfig.Crosswalk.from(settings(List.of(
                "ich.privacy.crosswalk.catalog=ich"))));
        assertEquals("ich.privacy.crosswalk.catalog", catalog.key());
    }

    @Test
    void windowsAreValidated() {
        ConfigError e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.windows=[{name=a, center=1}]"))));
        assertEquals("ich.etl.windows[0]", e.key());
        e = assertThrows(ConfigError.class, () -> EtlConfig.from(settings(List.of("ich.etl.windows=[{name=a, center=1, width=-2}]"))));
        assertEquals("ich.etl.windows[0].width", e.key());
    }
}
