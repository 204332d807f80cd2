package org.ich.train.registry;

import org.ich.cli.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.ich.train.registry.RegistryFixtures.OTHER_PATIENTS;
import static org.ich.train.registry.RegistryFixtures.SAME_PATIENTS;
import static org.ich.train.registry.RegistryFixtures.complete;
import static org.ich.train.registry.RegistryFixtures.registry;
import static org.junit.jupiter.api.Assertions.*;

/** The registry on a local folder: versions, manifests, the champion and its promotion rules. */
class ModelRegistryTest {
    @TempDir
    Path dir;

    ModelRegistry fresh() {
        return registry(dir.resolve("models").toUri());
    }

    @Test
    void createsListsAndFindsVersionsNewestFirst() throws Exception {
        ModelRegistry r = fresh();
        assertEquals(List.of(), r.list());
        ModelVersion a = r.create("run-a");
        ModelVersion b = r.create("run-b");
        ModelVersion c = r.create("run-c");
        assertEquals(List.of(c, b, a), r.list());
        assertTrue(a.id().matches("20261126-041500-[0-9a-f]{8}"), a.id());
        assertEquals(Optional.of(b), r.find(b.id()));
        assertEquals(Optional.empty(), r.find("20261126-041500-00000000"));
        assertEquals(Optional.empty(), r.find("../../etc"));
        for (var uri : List.of(a.plots(), a.checkpoints())) assertTrue(Files.isDirectory(Path.of(uri)), uri.toString());
        assertTrue(a.dir().toString().endsWith("/models/versions/" + a.id()), a.dir().toString());

        Manifest m = r.readManifest(a);
        assertEquals(Manifest.Status.RUNNING, m.status());
        assertEquals("run-a", m.runId());
        assertEquals(a.id(), m.version());
        assertEquals(org.ich.domain.Labels.NAMES, m.labels());

        // A stray folder is not a version.
        Files.createDirectories(dir.resolve("models/versions/.tmp-copy"));
        assertEquals(3, r.list().size());
        assertEquals(Optional.empty(), r.champion());
    }

    @Test
    void aVersionFolderIsNeverReused() {
        ModelRegistry r = new ModelRegistry(new org.ich.spark.Storage(new org.apache.hadoop.conf.Configuration()),
                dir.resolve("models").toUri(), 0, java.time.Duration.ofSeconds(1),
                java.time.Clock.fixed(java.time.Instant.parse("2026-11-26T04:15:00Z"), java.time.ZoneOffset.UTC));
        r.create("same-run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.create("same-run"));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void manifestRoundTrip() {
        ModelRegistry r = fresh();
        ModelVersion v = r.create("run-1");
        Manifest m = RegistryFixtures.described(r.readManifest(v), SAME_PATIENTS).toBuilder()
                .trainingConfig(RegistryJson.tree("{\"train\":{\"epochs\":3,\"lr\":0.001,\"architecture\":\"tiny\"},\"etl\":{\"size\":32}}"))
                .code(new CodeVersion("0.1.0-SNAPSHOT", "0123abcd"))
                .build()
                .complete(new Manifest.Metrics(0.1234, java.util.Map.of("any", 0.95, "epidural", Double.NaN), java.util.Map.of()),
                        java.time.Instant.parse("2026-11-26T05:00:00.123456789Z"));
        r.writeManifest(v, m);
        Manifest back = r.readManifest(v);
        assertEquals(m, back);
        assertTrue(Double.isNaN(back.metrics().auc().get("epidural")));
        assertEquals(0.95, back.metrics().aucAny());

        String json = RegistryJson.text(back);
        for (String key : List.of("\"valid_weighted_log_loss\"", "\"validation_fingerprint\"", "\"slices_snapshot_id\"",
                "\"training_config\"", "\"git_commit\"", "\"status\" : \"COMPLETE\"")) {
            assertTrue(json.contains(key), key + " in\n" + json);
        }
        assertThrows(IllegalArgumentException.class, () -> r.writeManifest(r.create("run-2"), m),
                "a manifest goes only into its own version");
    }

    @Test
    void aMissingOrBrokenManifestIsAUserErrorNamingTheFile() throws Exception {
        ModelRegistry r = fresh();
        ModelVersion v = r.create("run-1");
        Files.writeString(Path.of(v.manifestUri()), "{ not json");
        UserError e = assertThrows(UserError.class, () -> r.readManifest(v));
        assertTrue(e.getMessage().contains(v.manifestUri().toString()), e.getMessage());
        Files.delete(Path.of(v.manifestUri()));
        e = assertThrows(UserError.class, () -> r.readManifest(v));
        assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
    }

    @Test
    void theFirstCompleteModelBecomesChampion() {
        ModelRegistry r = fresh();
        ModelVersion v = r.create("run-1");
        complete(r, v, 0.30, SAME_PATIENTS);
        Promotion p = r.promote(v);
        assertTrue(p.promoted(), p.reason());
        assertNull(p.previousChampion());
        assertEquals(Optional.of(v), r.champion());
        ChampionPointer pointer = r.championPointer().orElseThrow();
        assertEquals(0.30, pointer.value());
        assertEquals("valid_weighted_log_loss", pointer.metric());
        assertEquals(SAME_PATIENTS, pointer.validationFingerprint());
    }

    @Test
    void aWorseModelIsRefusedAndTheChampionStays() {
        ModelRegistry r = fresh();
        ModelVersion champion = r.create("run-1");
        complete(r, champion, 0.30, SAME_PATIENTS);
        r.promote(champion);
        ModelVersion worse = r.create("run-2");
        complete(r, worse, 0.31, SAME_PATIENTS);
        Promotion p = r.promote(worse);
        assertFalse(p.promoted());
        assertEquals(champion.id(), p.previousChampion());
        assertTrue(p.reason().contains("does not beat champion " + champion.id()), p.reason());
        assertEquals(Optional.of(champion), r.champion());

        ModelVersion tie = r.create("run-3");
        complete(r, tie, 0.30, SAME_PATIENTS);
        assertFalse(r.promote(tie).promoted(), "a tie is not an improvement");
        assertFalse(r.promote(champion).promoted(), "already champion");
        assertEquals(Optional.of(champion), r.champion());
    }

    @Test
    void aBetterModelIsPromoted() {
        ModelRegistry r = fresh();
        ModelVersion old = r.create("run-1");
        complete(r, old, 0.30, SAME_PATIENTS);
        r.promote(old);
        ModelVersion better = r.create("run-2");
        complete(r, better, 0.25, SAME_PATIENTS);
        Promotion p = r.promote(better);
        assertTrue(p.promoted(), p.reason());
        assertEquals(old.id(), p.previousChampion());
        assertTrue(p.reason().contains("beats champion " + old.id()), p.reason());
        assertEquals(Optional.of(better), r.champion());
    }

    @Test
    void aChallengerThatLosesStudyLevelSensitivityIsRefusedWhateverItsLoss() {
        ModelRegistry r = fresh();
        ModelVersion champion = r.create("run-1");
        evaluated(r, complete(r, champion, 0.30, SAME_PATIENTS), champion, 0.95);
        assertTrue(r.promote(champion).promoted());
        assertEquals(0.95, r.championPointer().orElseThrow().sensitivity());

        ModelVersion missesMore = r.create("run-2");
        evaluated(r, complete(r, missesMore, 0.20, SAME_PATIENTS), missesMore, 0.90);
        Promotion p = r.promote(missesMore);
        assertFalse(p.promoted(), p.reason());
        assertTrue(p.reason().contains("sensitivity 90.0% at operating point sens95 is below champion " + champion.id()
                + "'s 95.0%"), p.reason());
        assertEquals(Optional.of(champion), r.champion());

        ModelVersion asSensitive = r.create("run-3");
        evaluated(r, complete(r, asSensitive, 0.25, SAME_PATIENTS), asSensitive, 0.95);
        Promotion q = r.promote(asSensitive);
        assertTrue(q.promoted(), q.reason());
        assertTrue(q.reason().contains("study-level sensitivity 95.0% vs 95.0%"), q.reason());
    }

    private static void evaluated(ModelRegistry r, Manifest complete, ModelVersion v, double sensitivity) {
        r.writeManifest(v, complete.toBuilder().operatingPoints(List.of(
                new Manifest.OperatingPoint("sens95", 0.95, 0.42, sensitivity, 0.8, 40, 20))).build());
    }

    @Test
    void aModelValidatedOnOtherPatientsIsRefusedWhateverItsLoss() {
        ModelRegistry r = fresh();
        ModelVersion champion = r.create("run-1");
        complete(r, champion, 0.30, SAME_PATIENTS);
        r.promote(champion);
        ModelVersion elsewhere = r.create("run-2");
        complete(r, elsewhere, 0.01, OTHER_PATIENTS);
        Promotion p = r.promote(elsewhere);
        assertFalse(p.promoted());
        assertTrue(p.reason().contains("other patients") && p.reason().contains("same validation patients"), p.reason());
        assertEquals(Optional.of(champion), r.champion());
    }

    @Test
    void runningAndFailedVersionsAreNeverPromoted() {
        ModelRegistry r = fresh();
        ModelVersion running = r.create("run-1");
        r.writeManifest(running, RegistryFixtures.described(r.readManifest(running), SAME_PATIENTS));
        Promotion p = r.promote(running);
        assertFalse(p.promoted());
        assertTrue(p.reason().contains("RUNNING"), p.reason());
        ModelVersion failed = r.create("run-2");
        r.writeManifest(failed, r.readManifest(failed).failed("out of memory", java.time.Instant.now()));
        assertFalse(r.promote(failed).promoted());
        assertEquals(Optional.empty(), r.champion());
    }

    @Test
    void latestRunningFindsTheNewestRunningVersion() {
        ModelRegistry r = fresh();
        assertEquals(Optional.empty(), r.latestRunning());
        ModelVersion older = r.create("run-1");
        ModelVersion running = r.create("run-2");
        ModelVersion done = r.create("run-3");
        ModelVersion failed = r.create("run-4");
        complete(r, done, 0.3, SAME_PATIENTS);
        r.writeManifest(failed, r.readManifest(failed).failed("killed", java.time.Instant.now()));
        assertEquals(Optional.of(running), r.latestRunning());
        complete(r, running, 0.3, SAME_PATIENTS);
        assertEquals(Optional.of(older), r.latestRunning());
    }

    @Test
    void aHeldLockStopsPromotionWithAClearMessage() throws Exception {
        ModelRegistry r = RegistryFixtures.registry(new org.ich.spark.Storage(new org.apache.hadoop.conf.Configuration()),
                dir.resolve("models").toUri(), java.time.Duration.ZERO);
        ModelVersion v = r.create("run-1");
        complete(r, v, 0.3, SAME_PATIENTS);
        Path lock = dir.resolve("models/champion.lock");
        Files.writeString(lock, "12345@elsewhere since 2026-11-26T04:00:00Z\n");
        UserError e = assertThrows(UserError.class, () -> r.promote(v));
        assertTrue(e.getMessage().contains(lock.toUri().toString().replace("file:///", "file:/")) || e.getMessage().contains(lock.toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("12345@elsewhere"), e.getMessage());
        assertEquals(Optional.empty(), r.champion());
        Files.delete(lock);
        assertTrue(r.promote(v).promoted());
        assertFalse(Files.exists(lock), "the lock is released");
    }
}
