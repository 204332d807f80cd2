package org.ich.train.registry;

import org.apache.hadoop.conf.Configuration;
import org.ich.config.Settings;
import org.ich.spark.Storage;
import org.ich.testing.S3Server;
import org.ich.testing.TestSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Registries on a clock that moves a minute per reading, and completed manifests with chosen figures. */
final class RegistryFixtures {
    static final String WINDOWS = "brain:40:80,subdural:80:200,bone:600:2800";
    static final String SAME_PATIENTS = ValidationFingerprint.of(java.util.List.of("p1", "p2", "p3"));
    static final String OTHER_PATIENTS = ValidationFingerprint.of(java.util.List.of("p1", "p2", "p4"));

    private RegistryFixtures() {}

    /** Registry settings as users write them for an S3-API store: ich.registry.root in {@code bucket}, ich.s3.*. */
    static Settings s3aSettings(Path dir, S3Server s3, String bucket) {
        return TestSettings.under(dir,
                Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY),
                "ich.s3.endpoint=\"" + s3.endpoint() + "\"", "ich.s3.path-style-access=true", "ich.s3.region=us-east-1",
                "ich.registry.root=\"s3a://" + bucket + "/registry/\"");
    }

    static ModelRegistry registry(URI root) {
        return registry(new Storage(new Configuration()), root, Duration.ofSeconds(30));
    }

    static ModelRegistry registry(Storage storage, URI root, Duration lockWait) {
        return new ModelRegistry(storage, root, 0.0, lockWait, new MinuteClock());
    }

    /** Version ids carry seconds; a clock that advances keeps the creation order of a test unambiguous. */
    static final class MinuteClock extends Clock {
        private final AtomicLong minutes = new AtomicLong();
        private final Instant start = Instant.parse("2026-11-26T04:15:00Z");

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }

        @Override
        public Instant instant() { return start.plus(Duration.ofMinutes(minutes.getAndIncrement())); }
    }

    /** As the training job leaves a version it finished. */
    static Manifest complete(ModelRegistry registry, ModelVersion v, double loss, String fingerprint) {
        Manifest m = described(registry.readManifest(v), fingerprint)
                .complete(new Manifest.Metrics(loss, Map.of("any", 0.91, "epidural", 0.7), Map.of("epochs", 2.0)),
                        Instant.parse("2026-11-26T06:00:00Z"));
        registry.writeManifest(v, m);
        return m;
    }

    static Manifest described(Manifest started, String fingerprint) {
        return started.toBuilder().architecture("tiny").input(new Manifest.Input(3, 32, WINDOWS, "NCHW")).head("SIX")
                .slicesSnapshotId(123456789L).validationFingerprint(fingerprint).build();
    }
}
