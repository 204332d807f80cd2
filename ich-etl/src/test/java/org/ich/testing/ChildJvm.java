package org.ich.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code org.ich.cli.Main} in a fresh JVM, as submit/ich does, with a chosen environment; captures everything
 * it prints (stdout and all logging) so tests can check the exit code and what reached the logs.
 */
public final class ChildJvm {
    public record Result(int exitCode, String output) {}

    private ChildJvm() {}

    public static Result run(Path workDir, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        return run(workDir, env, "2g", args);
    }

    /** @param heap the child's -Xmx, e.g. "600m" for a test that needs a small heap */
    public static Result run(Path workDir, Map<String, String> env, String heap, List<String> args) throws IOException, InterruptedException {
        Path jvmOptions = locate("submit/jvm.options");
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "@" + jvmOptions, "-Dlog4j2.configurationFile=" + locate("conf/log4j2.properties").toUri(),
                "-cp", System.getProperty("java.class.path"), "org.ich.cli.Main"));
        cmd.addAll(args);
        Path log = Files.createTempFile(workDir, "child", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ICH_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("child JVM timed out: " + args + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static Path locate(String relative) {
        for (Path base : List.of(Paths.get("."), Paths.get(".."))) {
            Path p = base.resolve(relative);
            if (Files.exists(p)) return p.toAbsolutePath().normalize();
        }
        throw new IllegalStateException(relative + " not found from " + Paths.get(".").toAbsolutePath());
    }
}
