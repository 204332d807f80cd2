package org.ich.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ich.testing.ChildJvm;
import org.ich.testing.S3Server;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Lost executors on a real cluster: a standalone master and two one-core workers (JVMs on 127.0.0.1), jobs submitted
 * with submit/spark-submit.sh, and one executor JVM SIGKILLed while the job's tasks run on it. Spark must redo the
 * lost work (the worker starts a replacement executor; the tasks and any lost cached or shuffle blocks are
 * recomputed) and the results must be exact. The cluster, S3Mock and the synthetic cohort are shared by the tests;
 * the training test uses the table the ETL test made (or makes it itself when run alone).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultTest {
    private static final Pattern FILES_WRITTEN = Pattern.compile("synth: wrote \\d+ patients, (\\d+) files");
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(15);

    @TempDir
    static Path dir;
    private S3Server s3;
    private StandaloneCluster cluster;
    private Map<String, String> env;
    private final List<String> conf = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private int files;
    private boolean ingested;
    /** Stops the cluster and S3Mock should the test JVM be ended (e.g. by a surefire timeout) before @AfterAll runs. */
    private final Thread cleanup = new Thread(this::stopProcesses, "cluster-fault-test-cleanup");

    @BeforeAll
    void cohortAndCluster() throws Exception {
        Runtime.getRuntime().addShutdownHook(cleanup);
        s3 = S3Server.start(dir, "ich-raw");
        cluster = StandaloneCluster.start(dir, 2);
        env = Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                "ICH_PSEUDONYM_KEY", ClusterConf.PSEUDONYM_KEY);
        conf.addAll(TestSettings.overrides(dir));
        conf.addAll(ClusterConf.SMALL);
        conf.addAll(List.of("ich.s3.endpoint=\"" + s3.endpoint() + "\"", "ich.s3.path-style-access=true",
                "ich.s3.region=us-east-1", "ich.privacy.allow-dev-key=false",
                // several tasks per executor, so a lost executor has work left to redo elsewhere
                "ich.etl.partitions=8",
                "ich.etl.labels=\"s3a://ich-raw/labels.csv\"", "ich.etl.split.train=0.5", "ich.etl.split.valid=0.5",
                "ich.etl.split.test=0"));
        ChildJvm.Result synth = ChildJvm.run(dir, env, ClusterConf.args(conf, "synth", "--patients", "4",
                "--out", "s3a://ich-raw/dicom/", "--labels", "s3a://ich-raw/labels.csv"));
        outputs.add(synth.output());
        assertEquals(0, synth.exitCode(), synth.output());
        Matcher written = FILES_WRITTEN.matcher(synth.output());
        assertTrue(written.find(), synth.output());
        files = Integer.parseInt(written.group(1));
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            if (cluster != null) {
                outputs.add(cluster.logs());
                outputs.add(cluster.executorLogs());
            }
            for (String output : outputs) {
                assertFalse(output.contains(S3Server.SECRET_KEY), "secret key printed");
                assertFalse(output.contains(ClusterConf.PSEUDONYM_KEY), "pseudonym key printed");
            }
        } finally {
            stopProcesses();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private void stopProcesses() {
        try {
            if (cluster != null) cluster.close();
        } finally {
            if (s3 != null) s3.close();
        }
    }

    @Test
    @Order(1)
    void etlSurvivesAKilledExecutor() throws Exception {
        // The decode stage: tasks that read and decode DICOM files over s3a, their results cached on the executors.
        // The executor dies decoding its second partition, taking the cached first one and its shuffle output along.
        ExecutorKill.Outcome etl = ExecutorKill.submit(dir, cluster, env, ClusterConf.args(conf, "etl",
                "--input", "s3a://ich-raw/dicom/"), rdd -> rdd.contains("at mapPartitions at EtlJob.java"), 1, JOB_TIMEOUT);
        outputs.add(etl.driverLog());
        assertEquals(0, etl.exitCode(), etl.driverLog() + cluster.logs());
        ingested = true;
        ExecutorKill.Kill kill = etl.kill().orElseThrow(() -> new AssertionError("the ETL finished before an executor"
                + " could be killed during its decode stage; stages seen: " + etl.stages() + "\n" + etl.driverLog()));
        System.out.println("etl: killed " + kill);
        assertRecovered(etl, kill);
        Matcher launched = Pattern.compile("Launching executor " + Pattern.quote(kill.appId()) + "/\\d+ on worker (\\S+)")
                .matcher(Files.readString(dir.resolve("cluster-logs/master.log")));
        java.util.Set<String> workers = new java.util.HashSet<>();
        while (launched.find()) workers.add(launched.group(1));
        assertEquals(2, workers.size(), "executors on both workers: " + workers);
        // The decoded files are cached (rdd_<id>_<partition>) for the later steps of the run; the partitions the killed
        // executor had decoded died with it, and the driver saw them cached again after they were decoded again.
        Matcher rdd = Pattern.compile("\\[(\\d+)]").matcher(kill.task().stageRdd());
        assertTrue(rdd.find(), kill.task().stageRdd());
        for (SparkDriverLog.Task lost : kill.finishedBefore()) {
            Matcher cached = Pattern.compile("Added (rdd_" + rdd.group(1) + "_" + lost.partition() + ") (in memory|on disk) on (\\S+)")
                    .matcher(etl.driverLog());
            List<String> where = new ArrayList<>();
            while (cached.find()) where.add(cached.group(3));
            System.out.println("  rdd_" + rdd.group(1) + "_" + lost.partition() + " cached on " + where);
            assertTrue(where.size() >= 2, "partition " + lost.partition() + " decoded again after the kill: " + where);
        }

        ChildJvm.Result sql = ChildJvm.run(dir, env, ClusterConf.args(conf, "sql", "--format", "csv",
                "SELECT (SELECT count(*) FROM slices) AS s, (SELECT count(*) FROM quarantine) AS q,"
                        + " (SELECT count(DISTINCT file_key) FROM slices) + (SELECT count(DISTINCT file_key) FROM quarantine) AS files,"
                        + " (SELECT count(DISTINCT slice_key) FROM slices) AS instances"));
        outputs.add(sql.output());
        assertEquals(0, sql.exitCode(), sql.output());
        String row = sql.output().lines().filter(l -> l.matches("\\d+,\\d+,\\d+,\\d+")).findFirst()
                .orElseThrow(() -> new AssertionError(sql.output()));
        String[] counts = row.split(",");
        int slices = Integer.parseInt(counts[0]);
        int quarantined = Integer.parseInt(counts[1]);
        assertTrue(slices > 0, row);
        assertEquals(files, slices + quarantined, "every file in exactly one table: " + row);
        assertEquals(files, Integer.parseInt(counts[2]), "no file twice: " + row);
        assertEquals(slices, Integer.parseInt(counts[3]), "no SOPInstanceUID (slice_key) twice in slices: " + row);
    }

    @Test
    @Order(2)
    void trainingSurvivesAKilledExecutor() throws Exception {
        if (!ingested) {
            ExecutorKill.Outcome etl = ExecutorKill.submit(dir, cluster, env, ClusterConf.args(conf, "etl",
                    "--input", "s3a://ich-raw/dicom/"), rdd -> false, 0, JOB_TIMEOUT);
            outputs.add(etl.driverLog());
            assertEquals(0, etl.exitCode(), etl.driverLog());
            ingested = true;
        }
        Path registry = dir.resolve("models");
        List<String> train = ClusterConf.args(conf, "train");
        train.addAll(List.of("ich.train.architecture=tiny", "ich.train.sizes=[32]", "ich.train.epochs=2",
                "ich.train.batch-size=8", "ich.train.averaging-frequency=1", "ich.train.max-lr=0.01",
                // DL4J's export approach needs a file system shared by the executors (refused on a local default FS)
                "ich.train.rdd-approach=direct",
                // The context stage trains on the executors too, kept small (out-of-fold: ContextTrainingTest).
                "ich.train.sequence.enabled=true", "ich.train.sequence.epochs=2", "ich.train.sequence.hidden=8",
                "ich.train.sequence.folds=0",
                "ich.registry.root=\"" + registry.toUri() + "\""));
        // DL4J's parameter-averaging rounds: the stages whose tasks fit minibatches on the executors.
        ExecutorKill.Outcome run = ExecutorKill.submit(dir, cluster, env, train,
                rdd -> rdd.contains("ParameterAveragingTrainingMaster"), 0, JOB_TIMEOUT);
        outputs.add(run.driverLog());
        assertEquals(0, run.exitCode(), run.driverLog() + cluster.logs());
        ExecutorKill.Kill kill = run.kill().orElseThrow(() -> new AssertionError("training finished before an executor"
                + " could be killed while fitting; stages seen: " + run.stages() + "\n" + run.driverLog()));
        System.out.println("train: killed " + kill);
        assertRecovered(run, kill);
        assertTrue(run.driverLog().contains("train: version"), run.driverLog());
        assertTrue(run.driverLog().indexOf("train: version") < run.driverLog().indexOf(
                "(TID " + kill.task().tid() + ")"), "killed during an epoch");

        List<Path> versions;
        try (Stream<Path> list = Files.list(registry.resolve("versions"))) {
            versions = list.toList();
        }
        assertEquals(1, versions.size(), "one version: " + versions);
        Path version = versions.get(0);
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(version.resolve("manifest.json").toFile());
        assertEquals("COMPLETE", manifest.get("status").asText(), manifest.toString());
        assertEquals(2, manifest.get("context").get("epochs").asInt(), "the context stage trained on the cluster too");
        assertTrue(Files.size(version.resolve("context").resolve("model.zip")) > 0);
        assertTrue(Files.size(version.resolve("model.zip")) > 0);
        JsonNode epochs = json.readTree(version.resolve("metrics.json").toFile()).get("epochs");
        List<Integer> numbers = new ArrayList<>();
        epochs.forEach(e -> numbers.add(e.get("epoch").asInt()));
        assertEquals(List.of(1, 2), numbers, "every epoch once: " + epochs);
        // The lost task's minibatches count once (a failed task's accumulator updates are dropped, its retry's kept),
        // and the schedule's clock moved by the same steps in the epoch with the kill as in the one without.
        // Every slice at least once; with several replicas the last round is topped up by less than one round.
        for (JsonNode epoch : epochs) {
            long fitted = epoch.get("fitted_slices").asLong();
            long slices = epoch.get("train_slices").asLong();
            assertTrue(fitted >= slices && fitted < slices + 2 * 8, "fitted slices: " + epoch);
        }
        assertEquals(2 * epochs.get(0).get("iteration").asLong(), epochs.get(1).get("iteration").asLong(),
                "optimiser steps per epoch: " + epochs);
        for (String checkpoint : List.of("epoch-0001.zip", "epoch-0002.zip")) {
            assertTrue(Files.isRegularFile(version.resolve("checkpoints").resolve(checkpoint)), checkpoint);
        }
    }

    @Test
    @Order(3)
    void theNightlyPipelineRunsOnTheClusterAndScoresEverySlice() throws Exception {
        Path registry = dir.resolve("models");
        assertTrue(Files.isDirectory(registry), "runs after the training test, which made the champion");
        List<String> pipeline = ClusterConf.args(conf, "pipeline");
        pipeline.addAll(List.of("ich.etl.input=\"s3a://ich-raw/dicom/\"", "ich.train.architecture=tiny",
                "ich.train.sizes=[32]", "ich.train.epochs=1", "ich.train.batch-size=8", "ich.train.averaging-frequency=1",
                "ich.train.rdd-approach=direct", "ich.registry.root=\"" + registry.toUri() + "\"",
                "ich.train.sequence.enabled=true", "ich.train.sequence.epochs=2", "ich.train.sequence.hidden=8",
                "ich.train.sequence.folds=0",
                // a new version even without new slices: training warm-starts from the champion on the executors
                "ich.pipeline.train=always", "ich.pipeline.runs=\"" + dir.resolve("runs").toUri() + "\""));
        ExecutorKill.Outcome run = ExecutorKill.submit(dir, cluster, env, pipeline, rdd -> false, 0, JOB_TIMEOUT);
        outputs.add(run.driverLog());
        assertEquals(0, run.exitCode(), run.driverLog() + cluster.logs());
        assertTrue(run.driverLog().contains("continuing from the weights of"), run.driverLog());

        JsonNode summary;
        try (Stream<Path> list = Files.list(dir.resolve("runs"))) {
            Path file = list.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            summary = new ObjectMapper().readTree(file.toFile());
        }
        assertEquals("SUCCEEDED", summary.get("status").asText(), summary.toString());
        String champion = summary.get("models").get("champion_after").asText();
        ChildJvm.Result sql = ChildJvm.run(dir, env, ClusterConf.args(conf, "sql", "--format", "csv",
                "SELECT (SELECT count(*) FROM slices) AS s, (SELECT count(*) FROM predictions WHERE model_version = '"
                        + champion + "') AS p, (SELECT count(DISTINCT slice_key) FROM predictions WHERE model_version = '"
                        + champion + "') AS u, (SELECT count(DISTINCT study_key) FROM slices) AS studies,"
                        + " (SELECT count(*) FROM study_predictions WHERE model_version = '" + champion + "') AS rollup"));
        outputs.add(sql.output());
        assertEquals(0, sql.exitCode(), sql.output());
        String[] counts = sql.output().lines().filter(l -> l.matches("\\d+(,\\d+){4}")).findFirst()
                .orElseThrow(() -> new AssertionError(sql.output())).split(",");
        assertEquals(counts[0], counts[1], "the champion scored every slice: " + String.join(",", counts));
        assertEquals(counts[0], counts[2], "each once");
        assertEquals(counts[3], counts[4], "one rollup row per study");
    }

    /**
     * The driver saw the executor go and redid its task elsewhere, and the master removed the executor. Prints what
     * Spark did about it (lost executor, failed task, resubmitted stages, replacement executors).
     */
    private void assertRecovered(ExecutorKill.Outcome outcome, ExecutorKill.Kill kill) throws Exception {
        String log = outcome.driverLog();
        String master = Files.readString(dir.resolve("cluster-logs/master.log"));
        System.out.println("Spark after the kill:");
        Stream.concat(log.lines(), master.lines().filter(l -> l.contains(kill.appId())))
                .filter(RECOVERY.asPredicate()).forEach(l -> System.out.println("  " + l));
        assertTrue(log.contains("Lost executor " + kill.executorId() + " "), "driver noticed the lost executor:\n" + log);
        SparkDriverLog.Task task = kill.task();
        // Spark 3.5 reports a task whose executor died under it without counting it against spark.task.maxFailures
        assertTrue(Pattern.compile("\\(TID " + task.tid() + "\\) failed because while it was being computed, its executor exited"
                        + "|Lost task \\S+ in stage \\S+ \\(TID " + task.tid() + "\\) .*ExecutorLostFailure").matcher(log).find(),
                "the killed executor's running task failed with it:\n" + log);
        assertTrue(Pattern.compile("Finished task " + task.partition() + "\\.\\d+ in stage " + task.stage() + "\\.\\d+ ")
                .matcher(log).find(), "the lost task ran again:\n" + log);
        assertTrue(master.contains("Removing executor " + kill.appId() + "/" + kill.executorId()), master);
        assertTrue(Pattern.compile("Launching executor " + kill.appId() + "/" + "([2-9]|\\d\\d+) ").matcher(master).find(),
                "a third executor replaced the killed one:\n" + master);
    }

    private static final Pattern RECOVERY = Pattern.compile("Lost executor|Lost task|failed because|Resubmitt|due to fetch"
            + "|Removing executor|Launching executor|Executor added|stopped while|FetchFailed\\(");
}
