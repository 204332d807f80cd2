package org.ich.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ich.cli.Main;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.testing.TrainingFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code ich train} as a command: refusals before any work, and a real kill of the training JVM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainCommandTest {

    TrainingFixture fixture;

    @BeforeAll
    void table() throws Exception {
        fixture = TrainingFixture.get();
    }

    @AfterAll
    void stopSpark() {
        TrainingFixture.stopSession();
    }

    @Test
    void halfPrecisionOnTheCpuIsRefusedNamingTheKey(@TempDir Path work) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.executeOne(new TrainCommand(),
                    fixture.overrides(work, "ich.train.precision=fp16").toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        assertTrue(message.contains("ich.train.precision") && message.contains("fp16"), message);
        assertFalse(Files.exists(work.resolve("models")), "refused before creating a version");
    }

    /**
     * The real thing: {@code ich train} in its own JVM, killed (SIGKILL) once its first checkpoint is on disk.
     * The next run continues that version after the newest checkpoint instead of starting over.
     */
    @Test
    void aKilledTrainingJvmIsResumedAfterItsLastCheckpoint(@TempDir Path work) throws Exception {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(fixture.overrides(work, "ich.train.epochs=40", "ich.train.batch-size=8"));
        Path log = work.resolve("child.log");
        Process child = start(work, args, log);
        Path checkpoints;
        try {
            checkpoints = awaitCheckpoint(work.resolve("models"), child, log);
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        int killedAfter = newestCheckpoint(checkpoints);
        assertTrue(killedAfter >= 1 && killedAfter < 40, "killed mid-run, after epoch " + killedAfter);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var settings = fixture.settings(work, "ich.train.epochs=40", "ich.train.batch-size=8",
                "ich.train.stop-after-epochs=1");
        TrainJob.Result resumed = TrainJobTest.train(fixture, settings, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("after epoch " + killedAfter), text);
        assertEquals(killedAfter + 1, resumed.epochsDone(), "continued with the next epoch");
        assertEquals(checkpoints.getParent().getFileName().toString(), resumed.version().id());
        List<Map<String, Object>> epochs = TrainJobTest.epochs(resumed.version());
        assertEquals(killedAfter + 1, epochs.size(), "each epoch recorded once");
        assertEquals(resumed.version(), ModelRegistry.from(settings).latestRunning().orElseThrow());
    }

    private static Process start(Path work, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "@" + locate("submit/jvm.options"),
                "-Dlog4j2.configurationFile=" + locate("conf/log4j2.properties").toUri(),
                "-cp", System.getProperty("java.class.path"), "org.ich.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", org.ich.train.model.NativeHelpers.OMP_WAIT_POLICY);
        return pb.start();
    }

    /** Waits for the first complete checkpoint (its JSON is written last) of the child's version. */
    private static Path awaitCheckpoint(Path models, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline) {
            Optional<Path> dir = checkpointDir(models);
            if (dir.isPresent() && newestCheckpoint(dir.get()) >= 1) {
                return dir.get();
            }
            if (!child.isAlive()) {
                throw new AssertionError("the training JVM ended before its first checkpoint:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no checkpoint within 4 minutes:\n" + Files.readString(log));
    }

    private static Optional<Path> checkpointDir(Path models) throws IOException {
        Path versions = models.resolve("versions");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> list = Files.list(versions)) {
            return list.map(v -> v.resolve("checkpoints")).filter(Files::isDirectory).findFirst();
        }
    }

    private static int newestCheckpoint(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("epoch-\\d+\\.json"))
                    .mapToInt(n -> Integer.parseInt(n.substring(6, n.length() - 5))).max().orElse(0);
        }
    }

    private static Path locate(String relative) {
        for (Path base : List.of(Paths.get("."), Paths.get(".."))) {
            Path p = base.resolve(relative);
            if (Files.exists(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException(relative + " not found from " + Paths.get(".").toAbsolutePath());
    }
}
