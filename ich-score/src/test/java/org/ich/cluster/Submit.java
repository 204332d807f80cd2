package org.ich.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts submit/spark-submit.sh against a {@link StandaloneCluster}, in client mode, with small memory settings. */
final class Submit {
    private Submit() {}

    static Process start(Path dir, StandaloneCluster cluster, Map<String, String> secrets, List<String> jobArgs) throws IOException {
        Path appJar = AppJar.forSubmit(dir);
        List<String> cmd = new ArrayList<>(List.of("bash", SparkHome.repoFile("submit/spark-submit.sh").toString()));
        cmd.addAll(jobArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("submit.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ICH_"));
        env.putAll(secrets);
        env.put("SPARK_HOME", cluster.sparkHome().toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("ICH_JOBS_JAR", appJar.toString());
        env.put("MASTER", cluster.masterUrl());
        env.put("DEPLOY_MODE", "client");
        env.put("DRIVER_MEMORY", "1g");
        env.put("EXECUTOR_MEMORY", "1g");
        env.put("EXECUTOR_CORES", "1");
        env.put("EXECUTOR_MEMORY_OVERHEAD", "512m");
        env.put("ICH_SUBMIT_ARGS", "--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1"
                + " --conf spark.ui.enabled=false");
        return pb.start();
    }
}
