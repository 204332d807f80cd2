package org.ich.train.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import org.ich.config.ConfigError;
import org.ich.train.metrics.LabelScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Fingerprints, config snapshots, version ids, code version and the registry's configuration keys. */
class RegistryPartsTest {

    @Test
    void fingerprintDependsOnThePatientSetOnly() {
        String a = ValidationFingerprint.of(List.of("k2", "k1", "k3", "k1"));
        assertEquals(a, ValidationFingerprint.of(List.of("k1", "k2", "k3")));
        assertNotEquals(a, ValidationFingerprint.of(List.of("k1", "k2")));
        assertNotEquals(a, ValidationFingerprint.of(List.of("k1", "k2", "k4")));
        assertTrue(a.matches("3p-sha256:[0-9a-f]{64}"), a);
        assertFalse(a.contains("k1"));
    }

    @Test
    void configSnapshotKeepsSettingsAndRedactsAnythingLikeASecret() {
        var config = ConfigFactory.parseString("ich { etl.size = 32, s3.access-key-env = \"AWS_ACCESS_KEY_ID\","
                + " spark.conf { \"spark.hadoop.fs.s3a.secret.key\" = \"hunter2\", \"spark.sql.shuffle.partitions\" = \"4\" } }");
        JsonNode snap = ConfigSnapshot.of(config);
        assertEquals(32, snap.at("/etl/size").asInt());
        assertEquals("AWS_ACCESS_KEY_ID", snap.at("/s3/access-key-env").asText());
        assertEquals("4", snap.at("/spark/conf").get("spark.sql.shuffle.partitions").asText());
        assertEquals(ConfigSnapshot.REDACTED, snap.at("/spark/conf").get("spark.hadoop.fs.s3a.secret.key").asText());
        assertFalse(snap.toString().contains("hunter2"));
    }

    @Test
    void versionIdsSortByTimeAndRejectPaths() {
        String early = VersionId.of(Instant.parse("2026-11-26T04:15:00Z"), "zzz");
        String late = VersionId.of(Instant.parse("2026-11-26T04:15:01Z"), "aaa");
        assertTrue(early.compareTo(late) < 0);
        assertTrue(early.startsWith("20261126-041500-"));
        assertThrows(IllegalArgumentException.class, () -> new ModelVersion("../x", java.net.URI.create("file:/x")));
        assertThrows(IllegalArgumentException.class, () -> VersionId.of(Instant.now(), " "));
    }

    @Test
    void metricsFromLabelScores() {
        var m = Manifest.Metrics.of(0.2, List.of(new LabelScore("any", 10, 3, 0.8, 0.9), new LabelScore("subdural", 10, 0, Double.NaN, 1.0)));
        assertEquals(0.8, m.aucAny());
        assertTrue(Double.isNaN(m.auc().get("subdural")));
        assertEquals(2.0, m.withExtra("epochs", 2).extra().get("epochs"));
        assertThrows(IllegalArgumentException.class, () -> new Manifest.Metrics(Double.NaN, null, null));
    }

    @Test
    void codeVersionComesFromTheBuild() {
        CodeVersion c = CodeVersion.current();
        assertNotNull(c.projectVersion(), "the build filters build.properties");
        assertFalse(c.projectVersion().contains("${"));
    }

    @Test
    void registryKeysAreReadAndChecked(@TempDir Path dir) {
        var s = org.ich.testing.TestSettings.under(dir, "ich.registry.root=\"" + dir.resolve("m").toUri() + "\"");
        RegistryConfig cfg = RegistryConfig.from(s);
        assertEquals(dir.resolve("m").toUri().getPath().replaceAll("/$", ""), cfg.root().getPath().replaceAll("/$", ""));
        assertEquals(0.0, cfg.minImprovement());
        ConfigError e = assertThrows(ConfigError.class,
                () -> RegistryConfig.from(org.ich.testing.TestSettings.under(dir, "ich.registry.min-improvement=-1")));
        assertEquals("ich.registry.min-improvement", e.key());
        e = assertThrows(ConfigError.class,
                () -> RegistryConfig.from(org.ich.testing.TestSettings.under(dir, "ich.registry.root=\"ftp://x/y\"")));
        assertEquals("ich.registry.root", e.key());
    }
}
