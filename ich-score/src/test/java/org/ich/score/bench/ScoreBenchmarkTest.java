package org.ich.score.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.SparkSession;
import org.ich.bench.Benchmark;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code ich bench score} at toy scale: its figures are printed, each on its own line, finite and positive. */
class ScoreBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void printsTheIssuesFigures() throws Exception {
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ScoreBenchmark().run(TestSettings.under(dir, "ich.bench.score.patients=1", "ich.bench.score.architecture=tiny",
                "ich.bench.score.size=32", "ich.synth.min-slices=6", "ich.synth.max-slices=6"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        for (String figure : new String[] {"score.inference.slices_per_s", "score.spark.slices_per_s", "score.ratio_to_inference"}) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(figure) + " ([0-9.]+)$").matcher(text);
            assertTrue(m.find(), figure + " in\n" + text);
            double value = Double.parseDouble(m.group(1));
            assertTrue(Double.isFinite(value) && value > 0, figure + " = " + value);
        }
    }

    @Test
    void isRegisteredForIchBench() {
        assertTrue(ServiceLoader.load(Benchmark.class).stream().anyMatch(p -> p.type() == ScoreBenchmark.class));
    }
}
