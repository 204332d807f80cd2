package org.ich.train.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.ich.config.Settings;
import org.ich.train.recipe.LrFindConfig;
import org.ich.train.testing.TrainingFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrFindJobTest {

    @AfterAll
    static void stopSpark() {
        TrainingFixture.stopSession();
    }

    @Test
    void writesTheLossCurveAndSuggestsAFiniteRate(@TempDir Path work) throws Exception {
        TrainingFixture fixture = TrainingFixture.get();
        Settings settings = fixture.settings(work, "ich.train.batch-size=8", "ich.train.lr-find.batches=40",
                "ich.train.lr-find.min-lr=1e-5", "ich.train.lr-find.max-lr=10");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LrFindJob.Result result = new LrFindJob(fixture.spark(), TrainConfig.from(settings), LrFindConfig.from(settings),
                new PrintStream(new TrainJobTest.Tee(log), true, StandardCharsets.UTF_8)).run();
        Path png = Path.of(result.chart());
        assertTrue(Files.size(png) > 1000);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(png), 4));
        assertTrue(Double.isFinite(result.suggestedLr()) && result.suggestedLr() >= 1e-6 && result.suggestedLr() <= 10,
                "suggestion " + result.suggestedLr());
        assertTrue(result.steps() >= 10, "ran the ramp: " + result.steps());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("suggested ich.train.max-lr="));
    }
}
