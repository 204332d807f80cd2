package org.ich.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.ich.bench.Benchmark;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code ich bench train} at toy scale: every figure printed, finite and positive; no timing asserted. */
class TrainBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void printsEveryFigureInTheJvmAndOnSpark() throws Exception {
        var settings = TestSettings.under(dir,
                "ich.bench.train.architectures=[tiny]", "ich.bench.train.sizes=[32, 48]",
                "ich.bench.train.batch=4", "ich.bench.train.warmup-iterations=1", "ich.bench.train.iterations=2",
                "ich.bench.train.spark-architectures=[tiny]", "ich.bench.train.spark-sizes=[32]",
                "ich.bench.train.averaging-frequency=2", "ich.bench.train.spark-rounds=1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TrainBenchmark().run(settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(text.startsWith("# ND4J backend "), text);
        Map<String, Double> figures = figures(text);
        List<String> expected = List.of(
                "train.tiny.32.jvm.img_per_s", "infer.tiny.32.jvm.img_per_s",
                "train.tiny.48.jvm.img_per_s", "infer.tiny.48.jvm.img_per_s",
                "train.tiny.32.spark.img_per_s");
        assertEquals(expected, List.copyOf(figures.keySet()), text);
        figures.forEach((name, value) ->
                assertTrue(Double.isFinite(value) && value > 0, name + " = " + value));
    }

    @Test
    void isRegisteredForIchBench() {
        assertTrue(ServiceLoader.load(Benchmark.class).stream()
                .anyMatch(p -> p.type() == TrainBenchmark.class));
    }

    @Test
    void pytorchReferenceExistsOnlyAt128() {
        assertEquals(39.6, PytorchReference.of("resnet18", 128).train());
        assertEquals(57.0, PytorchReference.of("resnet50", 128).infer());
        assertNotNull(PytorchReference.of("resnet50", 128));
        assertNull(PytorchReference.of("resnet18", 256));
        assertNull(PytorchReference.of("tiny", 128));
    }

    @Test
    void defaultsAreTheIssuesSettings() {
        TrainBenchConfig cfg = TrainBenchConfig.from(TestSettings.under(dir));
        assertEquals(List.of("resnet18", "resnet50"), cfg.architectures());
        assertEquals(List.of(128, 256), cfg.sizes());
        assertEquals(32, cfg.batch());
        assertTrue(cfg.spark());
        assertEquals(List.of("resnet18"), cfg.sparkArchitectures());
        assertEquals(List.of(128), cfg.sparkSizes());
    }

    private static Map<String, Double> figures(String text) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            assertEquals(2, parts.length, "not a NAME VALUE line: " + line);
            figures.put(parts[0], Double.parseDouble(parts[1]));
        }
        return figures;
    }
}
