package org.ich.etl.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.etl.EtlConfig;
import org.ich.spark.IchSpark;
import org.ich.spark.S3a;
import org.ich.testing.CtFixtures;
import org.ich.testing.FaultyS3Proxy;
import org.ich.testing.S3Server;
import org.ich.testing.SyntheticArchive;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Storage faults on a real S3-API server (S3Mock behind a proxy that throttles, drops connections and goes away, all
 * on 127.0.0.1): a file the store did not deliver waits and is read by a later run; it is never quarantined, never
 * lost and never ingested twice.
 */
class EtlStorageFaultTest {
    private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);

    @Test
    void filesTheStoreDidNotDeliverWaitAndAreReadByALaterRunExactlyOnce(@TempDir Path dir) throws Exception {
        SyntheticArchive archive = SyntheticArchive.write(dir, 2, "ich.synth.bleed-fraction=1");
        List<String> files;
        try (var walk = Files.walk(archive.dicom())) {
            files = walk.filter(Files::isRegularFile).map(f -> archive.dicom().relativize(f).toString()).sorted().toList();
        }
        try (S3Server s3 = S3Server.start(dir, "ich-raw"); FaultyS3Proxy proxy = FaultyS3Proxy.start(s3.endpoint())) {
            upload(dir, s3.endpoint(), archive.dicom(), "s3a://ich-raw/dicom/");
            EtlConfig cfg = EtlConfig.from(TestSettings.under(dir, ENV, settings(proxy.endpoint())));
            SparkSession spark = IchSpark.session(cfg.common(), "etl-storage-fault-test");
            try {
                proxy.fail(files.get(0), FaultyS3Proxy.Fault.SLOW_DOWN);
                proxy.fail(files.get(1), FaultyS3Proxy.Fault.DROP_CONNECTION);
                EtlSummary first = run(spark, cfg, "1: one object throttled (503 SlowDown), one connection dropped");
                assertEquals(files.size(), first.listed());
                assertEquals(2, first.newWaiting(), first.toString());
                assertEquals(0, first.newQuarantined(), "a storage fault is not a bad file: " + first);
                assertEquals(files.size() - 2, first.newSlices());
                assertTrue(proxy.faultsServed() >= 4, "every read of the two files failed, twice each: " + proxy.faultsServed());
                for (Row w : spark.sql("SELECT attempts, runs, error_class, message FROM waiting").collectAsList()) {
                    assertEquals(2, w.getInt(0), "ich.etl.retry.read-attempts reads in the run");
                    assertEquals(1, w.getInt(1));
                    assertFalse(w.getString(2).isBlank());
                    assertFalse(w.getString(3).contains("patient-") || w.getString(3).contains("ich-raw"), "no path: " + w.getString(3));
                }
                assertExactlyOnce(spark, files.size());

                proxy.heal(files.get(1));
                EtlSummary second = run(spark, cfg, "2: the dropped one healed, the throttled one still failing");
                assertEquals(1, second.newSlices());
                assertEquals(1, second.waitingTotal());
                assertEquals(1, second.stuck(), "waited ich.etl.retry.alert-after-runs = 2 runs: reported");
                assertTrue(second.toString().contains("WARNING 1 file could not be read in 2 or more runs"), second.toString());
                assertEquals(2, spark.sql("SELECT runs FROM waiting").first().getInt(0));

                proxy.heal(files.get(0));
                EtlSummary third = run(spark, cfg, "3: all healed");
                assertEquals(1, third.newSlices());
                assertEquals(0, third.waitingTotal());
                assertEquals(0, third.stuck());
                assertEquals(archive.cohort().totalSlices(), third.slicesTotal());
                assertExactlyOnce(spark, files.size());

                // The server goes away in the middle of a run and comes back before the next one.
                Path late = Files.createDirectories(dir.resolve("late"));
                for (int i = 0; i < 6; i++) Files.write(late.resolve("late-" + i + ".dcm"), CtFixtures.ct("2.25.71" + i));
                upload(dir, s3.endpoint(), late, "s3a://ich-raw/dicom/late/");
                proxy.stopAfterObjectReads(2);
                EtlSummary fourth = run(spark, cfg, "4: 6 new files, the server stops after 2 object reads");
                assertFalse(proxy.listening(), "the server went away during the run");
                assertEquals(6, fourth.newSlices() + fourth.newWaiting(), fourth.toString());
                assertTrue(fourth.newWaiting() >= 1, fourth.toString());
                assertEquals(0, fourth.newQuarantined(), fourth.toString());
                assertExactlyOnce(spark, files.size() + 6);

                proxy.restart();
                EtlSummary fifth = run(spark, cfg, "5: the server back");
                assertEquals(fourth.newWaiting(), fifth.newSlices());
                assertEquals(0, fifth.waitingTotal());
                assertEquals(archive.cohort().totalSlices() + 6, fifth.slicesTotal());
                assertEquals(0, fifth.quarantineTotal());
                assertExactlyOnce(spark, files.size() + 6);
            } finally {
                spark.stop();
            }
        }
    }

    /** One ETL run, its summary printed: the counts of each stage of the test are in the build's log. */
    private static EtlSummary run(SparkSession spark, EtlConfig cfg, String stage) {
        EtlSummary summary = new EtlJob(spark, cfg).run();
        System.out.println("storage fault run " + stage + "\n  " + summary.toString().replace("\n", "\n  "));
        return summary;
    }

    /** Each listed file is in exactly one of slices, quarantine and waiting, and no instance is in slices twice. */
    private static void assertExactlyOnce(SparkSession spark, long files) {
        Row r = spark.sql("SELECT count(*), count(DISTINCT file_key) FROM (SELECT file_key FROM slices UNION ALL"
                + " SELECT file_key FROM quarantine UNION ALL SELECT file_key FROM waiting)").first();
        assertEquals(files, r.getLong(0), "rows over the three tables");
        assertEquals(files, r.getLong(1), "distinct files over the three tables");
        assertEquals(0, spark.sql("SELECT count(*) - count(DISTINCT slice_key) FROM slices").first().getLong(0));
    }

    private static String[] settings(String endpoint) {
        List<String> s = new ArrayList<>(List.of("ich.etl.input=\"s3a://ich-raw/dicom/\"", "ich.etl.size=32",
                "ich.s3.endpoint=\"" + endpoint + "\"", "ich.s3.path-style-access=true", "ich.s3.region=us-east-1",
                "ich.etl.retry.read-attempts=2", "ich.etl.retry.backoff-ms=50", "ich.etl.retry.alert-after-runs=2"));
        // The s3a client's own retries, cut short so the test is quick (README "Retries" has the production values).
        for (String[] kv : new String[][]{{"fs.s3a.retry.limit", "1"}, {"fs.s3a.retry.interval", "50ms"},
                {"fs.s3a.retry.throttle.limit", "1"}, {"fs.s3a.retry.throttle.interval", "50ms"}, {"fs.s3a.attempts.maximum", "1"},
                {"fs.s3a.connection.establish.timeout", "2000"}, {"fs.s3a.connection.timeout", "5000"},
                {"fs.s3a.impl.disable.cache", "true"}}) {
            s.add("ich.spark.conf.\"spark.hadoop." + kv[0] + "\"=\"" + kv[1] + "\"");
        }
        return s.toArray(String[]::new);
    }

    /** Copies a local folder to the store directly (not through the proxy). */
    private static void upload(Path dir, String endpoint, Path from, String to) throws Exception {
        CommonConfig direct = CommonConfig.from(TestSettings.under(dir, ENV, "ich.s3.endpoint=\"" + endpoint + "\"",
                "ich.s3.path-style-access=true", "ich.s3.region=us-east-1"));
        Configuration conf = new Configuration();
        S3a.configure(conf, direct.s3());
        try (FileSystem fs = FileSystem.newInstance(URI.create(to), conf)) {
            try (var walk = Files.walk(from)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()),
                            new org.apache.hadoop.fs.Path(to + from.relativize(f).toString().replace('\\', '/')));
                }
            }
        }
    }
}
