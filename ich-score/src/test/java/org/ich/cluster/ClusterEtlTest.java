package org.ich.cluster;

import org.ich.testing.ChildJvm;
import org.ich.testing.S3Server;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ETL as a cluster runs it: submitted with submit/spark-submit.sh to a standalone master with two worker JVMs,
 * reading DICOM files over s3a from a real S3-API server, executors in their own JVMs. Everything binds to 127.0.0.1.
 */
class ClusterEtlTest {
    static final String PSEUDONYM_KEY = "cluster-test-pseudonym-key-42";
    static final List<String> SMALL = List.of("ich.synth.matrix=128", "ich.synth.min-slices=8", "ich.synth.max-slices=10",
            "ich.etl.size=32");
    private static final Pattern FILES_WRITTEN = Pattern.compile("synth: wrote \\d+ patients, (\\d+) files");

    @Test
    void etlOnTwoExecutorJvmsIngestsEveryFileOnce(@TempDir Path dir) throws Exception {
        try (S3Server s3 = S3Server.start(dir, "ich-raw"); StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                    "ICH_PSEUDONYM_KEY", PSEUDONYM_KEY);
            List<String> conf = new ArrayList<>(TestSettings.overrides(dir));
            conf.addAll(SMALL);
            conf.addAll(List.of("ich.s3.endpoint=\"" + s3.endpoint() + "\"", "ich.s3.path-style-access=true",
                    "ich.s3.region=us-east-1", "ich.privacy.allow-dev-key=false",
                    // several tasks per executor, so a lost executor has work left to redo elsewhere
                    "ich.etl.partitions=8"));

            ChildJvm.Result synth = ChildJvm.run(dir, env, args(conf, "synth", "--patients", "2", "--out", "s3a://ich-raw/dicom/"));
            assertEquals(0, synth.exitCode(), synth.output());
            Matcher written = FILES_WRITTEN.matcher(synth.output());
            assertTrue(written.find(), synth.output());
            int files = Integer.parseInt(written.group(1));

            Set<Long> executorPids = ConcurrentHashMap.newKeySet();
            Set<Integer> workersWithExecutors = ConcurrentHashMap.newKeySet();
            Process submit = Submit.start(dir, cluster, env, args(conf, "etl", "--input", "s3a://ich-raw/dicom/"));
            while (!submit.waitFor(200, TimeUnit.MILLISECONDS)) {
                cluster.executors().forEach((worker, jvms) -> jvms.forEach(p -> {
                    executorPids.add(p.pid());
                    workersWithExecutors.add(worker);
                }));
            }
            String etlOutput = Files.readString(dir.resolve("submit.log"));
            assertEquals(0, submit.exitValue(), etlOutput + cluster.logs());
            assertEquals(Set.of(0, 1), workersWithExecutors, "executors seen per worker: " + executorPids + "\n" + etlOutput);
            assertFalse(executorPids.contains(submit.pid()));

            ChildJvm.Result sql = ChildJvm.run(dir, env, args(conf, "sql", "--format", "csv",
                    "SELECT (SELECT count(*) FROM slices) AS s, (SELECT count(*) FROM quarantine) AS q,"
                            + " (SELECT count(DISTINCT source_uri) FROM slices) + (SELECT count(DISTINCT source_uri) FROM quarantine) AS uris"));
            assertEquals(0, sql.exitCode(), sql.output());
            String row = sql.output().lines().filter(l -> l.matches("\\d+,\\d+,\\d+")).findFirst().orElseThrow(() -> new AssertionError(sql.output()));
            String[] counts = row.split(",");
            int slices = Integer.parseInt(counts[0]);
            int quarantined = Integer.parseInt(counts[1]);
            assertTrue(slices > 0, row);
            assertEquals(files, slices + quarantined, "every file in exactly one table: " + row);
            assertEquals(files, Integer.parseInt(counts[2]), "no file twice: " + row);

            for (String output : List.of(synth.output(), etlOutput, sql.output(), cluster.logs())) {
                assertFalse(output.contains(S3Server.SECRET_KEY), "secret key printed");
                assertFalse(output.contains(PSEUDONYM_KEY), "pseudonym key printed");
            }
        }
    }

    static List<String> args(List<String> conf, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(conf);
        return all;
    }
}
