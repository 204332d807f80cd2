package org.ich.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1: one master and N one-core workers, each its own JVM, over a SPARK_HOME
 * whose jars/ are the jars this test JVM runs with (Spark and everything ich depends on, but not ich itself, which
 * reaches the executors only through the submitted application jar, as on a real cluster).
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path sparkHome;
    private final Path logs;
    private final int port;
    private final int webUiPort;
    private final List<Process> workers = new ArrayList<>();
    private final List<Path> workDirs = new ArrayList<>();
    private Process master;

    private StandaloneCluster(Path sparkHome, Path logs, int port, int webUiPort) {
        this.sparkHome = sparkHome;
        this.logs = logs;
        this.port = port;
        this.webUiPort = webUiPort;
    }

    public static StandaloneCluster start(Path dir, int workerCount) throws IOException, InterruptedException {
        StandaloneCluster cluster = new StandaloneCluster(SparkHome.create(dir.resolve("spark-home")),
                Files.createDirectories(dir.resolve("cluster-logs")), freePort(), freePort());
        try {
            cluster.master = cluster.launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.port), "--webui-port", Integer.toString(cluster.webUiPort));
            for (int i = 0; i < workerCount; i++) {
                Path workDir = Files.createDirectories(dir.resolve("worker-" + i));
                cluster.workDirs.add(workDir);
                cluster.workers.add(cluster.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                        "--work-dir", workDir.toString(), cluster.masterUrl()));
            }
            cluster.awaitWorkers(workerCount, Duration.ofSeconds(90));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    public List<Process> workers() {
        return List.copyOf(workers);
    }

    /** The master's state as JSON (workers, running and completed applications). */
    public String masterJson() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Executor JVMs the workers have started and that are still running, by worker index. */
    public Map<Integer, List<ProcessHandle>> executors() {
        Map<Integer, List<ProcessHandle>> byWorker = new java.util.TreeMap<>();
        for (int i = 0; i < workers.size(); i++) {
            byWorker.put(i, workers.get(i).descendants()
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains(
                            "org.apache.spark.executor.CoarseGrainedExecutorBackend")).orElse(false))
                    .toList());
        }
        return byWorker;
    }

    /** An executor JVM a worker started: which worker, the process, and the application and executor ids it serves. */
    public record ExecutorJvm(int worker, ProcessHandle process, String appId, String executorId) {
    }

    /** The running executor JVMs with their ids, read from their command lines (--app-id, --executor-id). */
    public List<ExecutorJvm> executorJvms() {
        List<ExecutorJvm> all = new ArrayList<>();
        executors().forEach((worker, jvms) -> jvms.forEach(p -> {
            List<String> args = p.info().arguments().map(List::of).orElse(List.of());
            all.add(new ExecutorJvm(worker, p, argument(args, "--app-id"), argument(args, "--executor-id")));
        }));
        return all;
    }

    private static String argument(List<String> args, String name) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }

    /** What the executors printed (stdout, stderr), from the workers' work directories. */
    public String executorLogs() throws IOException {
        return executorLogs("");
    }

    /** What the executors of one application ({@code app-...}; "" for all) printed. */
    public String executorLogs(String appId) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path workDir : workDirs) {
            if (!Files.isDirectory(workDir)) continue;
            try (var files = Files.walk(workDir)) {
                for (Path log : files.filter(f -> Files.isRegularFile(f) && f.toString().contains(appId)
                        && (f.getFileName().toString().equals("stderr")
                        || f.getFileName().toString().equals("stdout"))).sorted().toList()) {
                    all.append("== ").append(workDir.getParent().relativize(log)).append('\n').append(Files.readString(log));
                }
            }
        }
        return all.toString();
    }

    public String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) all.append("== ").append(log.getFileName()).append('\n').append(Files.readString(log));
        }
        return all.toString();
    }

    private Process launch(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "@" + SparkHome.jvmOptions(), "-cp", sparkHome.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // bin/load-spark-env.sh sets this in a real installation; without it the worker's executor launcher looks for
        // a source checkout to learn the Scala version.
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        // Executors inherit the worker's environment; only what the application sends should reach them.
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ICH_"));
        return pb.start();
    }

    private void awaitWorkers(int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) throw new IllegalStateException("Spark master exited:\n" + logs());
            try {
                last = masterJson();
                Matcher m = ALIVE_WORKERS.matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) >= count) return;
            } catch (IOException notUpYet) {
                // the master's web UI is still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(count + " workers did not register within " + timeout + "; master said " + last + "\n" + logs());
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        if (master != null) all.add(master);
        // Executors first: a worker that dies abruptly may leave its executor JVMs behind.
        for (Process p : all) p.descendants().forEach(ProcessHandle::destroy);
        for (Process p : all) p.destroy();
        for (Process p : all) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
