package org.ich.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.ich.config.Settings;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.testing.TrainingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code ich train} on Spark local[2] over a real slices table of synthetic studies at 64 px. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainJobTest {

    TrainingFixture fixture;

    @BeforeAll
    void table() throws Exception {
        fixture = TrainingFixture.get();
    }

    private TrainJob.Result train(Settings settings, ByteArrayOutputStream log) throws Exception {
        PrintStream out = new PrintStream(new TeeStream(log), true, StandardCharsets.UTF_8);
        return new TrainJob(fixture.spark(), TrainConfig.from(settings), ModelRegistry.from(settings), out).run();
    }

    @Test
    void aTinyNetLearnsToSeeBleeds(@TempDir Path work) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Settings settings = fixture.settings(work, "ich.train.epochs=6", "ich.train.batch-size=16",
                "ich.train.max-lr=0.003", "ich.train.averaging-frequency=2", "ich.train.resume=false");
        long start = System.nanoTime();
        TrainJob.Result result = train(settings, log);
        double seconds = (System.nanoTime() - start) / 1e9;
        double auc = result.last().auc("any");
        System.out.printf("learnability: validation AUC(any) %.3f after %d epochs in %.0f s%n", auc,
                result.epochsDone(), seconds);
        assertTrue(result.finished());
        assertTrue(auc > 0.8, "validation AUC for any: " + auc);
        assertTrue(Files.exists(Path.of(result.version().modelZip())), "model.zip");
        assertTrue(Files.exists(Path.of(result.version().plots()).resolve(Curves.LOSS)));
        assertTrue(Files.exists(Path.of(result.version().plots()).resolve(Curves.AUC)));
        List<?> epochs = (List<?>) new ObjectMapper().readValue(Path.of(result.version().metricsJson()).toFile(),
                Map.class).get("epochs");
        assertEquals(6, epochs.size());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("epoch 6/6"), "progress lines");
    }

    /** Copies to stdout too, so a failing run shows its progress in the test report. */
    private static final class TeeStream extends java.io.OutputStream {
        private final ByteArrayOutputStream copy;

        TeeStream(ByteArrayOutputStream copy) {
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            copy.write(b);
            System.out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            System.out.write(b, off, len);
        }
    }
}
