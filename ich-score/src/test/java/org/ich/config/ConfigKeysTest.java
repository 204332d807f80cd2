package org.ich.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ich.bench.EtlBenchmark;
import org.ich.etl.EtlConfig;
import org.ich.explore.ExploreConfig;
import org.ich.pipeline.PipelineConfig;
import org.ich.score.bench.ScoreBenchmark;
import org.ich.score.card.ModelCardConfig;
import org.ich.score.export.ExportConfig;
import org.ich.score.report.ReportConfig;
import org.ich.synth.SynthConfig;
import org.ich.testing.TestSettings;
import org.ich.train.baseline.BaselineConfig;
import org.ich.train.bench.QualityBenchConfig;
import org.ich.train.bench.TrainBenchConfig;
import org.ich.train.recipe.LrFindConfig;
import org.ich.train.registry.RegistryConfig;
import org.junit.jupiter.api.Test;

/**
 * conf/application.conf and the typed readers agree: every key it documents is read by some job's config, every key a
 * config reads is documented there, and each number's range is written in the comment above its key.
 */
class ConfigKeysTest {
    private static final Path CONF = Path.of("..", "conf", "application.conf");
    private static final Pattern KEY = Pattern.compile("^\\s*(\"[^\"]+\"|[A-Za-z0-9_-]+)\\s*(=|\\{)(.*)$");

    /** Every typed reader of every command, on the shipped defaults (and the branches off by default). */
    static Settings.Reads readAll() {
        Settings.Reads reads = new Settings.Reads();
        for (Settings s : List.of(TestSettings.under(Path.of("/tmp/ich-config-keys")),
                TestSettings.under(Path.of("/tmp/ich-config-keys"), "ich.train.augment.enabled=true"))) {
            Settings r = s.recording(reads);
            CommonConfig.from(r);
            EtlConfig.from(r);
            SynthConfig.from(r);
            ExploreConfig.from(r);
            PipelineConfig.from(r); // the ETL, training and scoring configs too
            ReportConfig.from(r);
            ExportConfig.from(r);
            ModelCardConfig.from(r);
            RegistryConfig.from(r);
            LrFindConfig.from(r);
            BaselineConfig.from(r);
            EtlBenchmark.Config.from(r);
            TrainBenchConfig.from(r);
            ScoreBenchmark.Config.from(r);
            QualityBenchConfig.from(r);
        }
        return reads;
    }

    /** Leaf keys of the file with the comment lines right above each (objects a reader takes whole count as one). */
    static Map<String, String> documented(Set<String> wholeObjects) throws IOException {
        Map<String, String> keys = new TreeMap<>();
        Deque<String> path = new ArrayDeque<>();
        StringBuilder comment = new StringBuilder();
        int skipDepth = 0;
        for (String line : Files.readAllLines(CONF)) {
            String t = line.trim();
            if (t.startsWith("#")) {
                comment.append(t.substring(1)).append(' ');
                continue;
            }
            if (skipDepth > 0) {
                skipDepth += count(t, '{') + count(t, '[') - count(t, '}') - count(t, ']');
                comment.setLength(0);
                continue;
            }
            if (t.equals("}")) {
                path.removeLast();
            } else {
                Matcher m = KEY.matcher(t);
                if (m.matches()) {
                    String name = m.group(1).replace("\"", "");
                    String key = path.isEmpty() ? name : String.join(".", path) + "." + name;
                    boolean opens = m.group(2).equals("{") || m.group(3).trim().equals("{");
                    if (opens && !wholeObjects.contains(key)) {
                        path.addLast(name);
                    } else {
                        keys.put(key, comment.toString());
                        String rest = m.group(3);
                        skipDepth = (opens ? 1 : 0) + count(rest, '{') + count(rest, '[') - count(rest, '}') - count(rest, ']');
                    }
                }
            }
            comment.setLength(0);
        }
        return keys;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    @Test
    void everyDocumentedKeyIsReadAndEveryReadKeyIsDocumented() throws IOException {
        Settings.Reads reads = readAll();
        Map<String, String> documented = documented(reads.keys());
        Set<String> unread = new TreeSet<>(documented.keySet());
        unread.removeAll(reads.keys());
        assertEquals(Set.of(), unread, "documented in conf/application.conf, read by no typed config");
        Set<String> undocumented = new TreeSet<>(reads.keys());
        undocumented.removeAll(documented.keySet());
        assertEquals(Set.of(), undocumented, "read by a typed config, missing from conf/application.conf");
    }

    @Test
    void eachNumbersRangeIsWrittenAboveItsKey() throws IOException {
        Settings.Reads reads = readAll();
        Map<String, String> documented = documented(reads.keys());
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> range : reads.ranges().entrySet()) {
            String comment = documented.getOrDefault(range.getKey(), "");
            if (!comment.contains("(" + range.getValue() + ")")) missing.add(range.getKey() + " (" + range.getValue() + ")");
        }
        assertEquals(List.of(), missing, "ranges to write in the comment above each key, as \"(min to max)\"");
    }
}
