package org.ich.train.registry;

import org.ich.testing.S3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.ich.train.registry.RegistryFixtures.OTHER_PATIENTS;
import static org.ich.train.registry.RegistryFixtures.SAME_PATIENTS;
import static org.junit.jupiter.api.Assertions.*;

/** The registry on an S3-API server on 127.0.0.1, configured the way users configure it (ich.registry.*, ich.s3.*). */
class RegistryS3aTest {

    @Test
    void versionsManifestsAndPromotionOverS3a(@TempDir Path dir) throws Exception {
        try (S3Server s3 = S3Server.start(dir, "ich-models")) {
            var settings = RegistryFixtures.s3aSettings(dir, s3, "ich-models");
            ModelRegistry r = ModelRegistry.from(settings);
            assertEquals("s3a://ich-models/registry", r.root().toString());
            assertEquals(List.of(), r.list());

            ModelVersion first = r.create("run-1");
            assertTrue(first.dir().toString().startsWith("s3a://ich-models/registry/versions/"), first.dir().toString());
            RegistryFixtures.complete(r, first, 0.30, SAME_PATIENTS);
            Thread.sleep(1100); // version ids have one-second resolution
            ModelVersion second = r.create("run-2");

            assertEquals(List.of(second, first), r.list());
            assertEquals(Optional.of(second), r.latestRunning());
            assertEquals(r.readManifest(first).metrics().validWeightedLogLoss(), 0.30);

            assertTrue(r.promote(first).promoted());
            RegistryFixtures.complete(r, second, 0.20, OTHER_PATIENTS);
            assertFalse(r.promote(second).promoted());
            RegistryFixtures.complete(r, second, 0.20, SAME_PATIENTS);
            Promotion p = r.promote(second);
            assertTrue(p.promoted(), p.reason());
            assertEquals(first.id(), p.previousChampion());
            assertEquals(Optional.of(second), ModelRegistry.from(settings).champion(), "a fresh reader sees the new champion");
            assertFalse(r.storage().fs(r.root()).exists(new org.apache.hadoop.fs.Path(r.root() + "/champion.lock")),
                    "the lock is released");
        }
    }
}
