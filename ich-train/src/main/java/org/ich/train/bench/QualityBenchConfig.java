package org.ich.train.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.ConfigFactory;
import org.ich.config.ConfigError;
import org.ich.config.Settings;

/**
 * {@code ich.bench.quality}: the cohort {@code ich bench quality} writes and which runs it compares. The recipe is
 * ich.train's own, so the benchmark measures the defaults users get.
 *
 * @param patients      synthetic patients (split by patient)
 * @param matrix        DICOM matrix of the synthetic series
 * @param minSlices     fewest slices per series
 * @param maxSlices     most slices per series
 * @param bleedFraction share of patients with bleeds
 * @param size          tensor side the ETL writes, and the training size
 * @param validFraction share of patients in split valid (the rest train)
 * @param reference     run the PyTorch reference
 * @param python        interpreter with Debian's python3-torch and python3-torchvision
 * @param oneJvm        run DL4J in this JVM without Spark
 * @param sparkWorkers  one {@code ich train} run on Spark per entry, with that many ich.train.workers (0 = default)
 * @param sparkMaster   master when not started by spark-submit
 */
public record QualityBenchConfig(int patients, int matrix, int minSlices, int maxSlices, double bleedFraction, int size,
                          double validFraction, boolean reference, String python, boolean oneJvm,
                          List<Integer> sparkWorkers, String sparkMaster) {

    static final String PREFIX = "ich.bench.quality.";

    public static QualityBenchConfig from(Settings s) {
        int minSlices = s.integer(PREFIX + "min-slices", 5, 1000);
        int maxSlices = s.integer(PREFIX + "max-slices", 5, 1000);
        if (maxSlices < minSlices) {
            throw new ConfigError(PREFIX + "max-slices", "must be at least min-slices (" + minSlices + "), got " + maxSlices);
        }
        // 0 = ich's default (one replica per executor).
        List<Integer> workers = s.integers(PREFIX + "spark-workers", 0, 1024);
        return new QualityBenchConfig(s.integer(PREFIX + "patients", 4, 100_000), s.integer(PREFIX + "matrix", 64, 2048),
                minSlices, maxSlices, s.number(PREFIX + "bleed-fraction", 0, 1), s.integer(PREFIX + "size", 32, 1024),
                s.number(PREFIX + "valid-fraction", 0.05, 0.95), s.bool(PREFIX + "reference"),
                s.string(PREFIX + "python"), s.bool(PREFIX + "one-jvm"), workers, s.string(PREFIX + "spark-master"));
    }

    /** ich's settings with this cohort, its split and a scratch warehouse under {@code tmp}. */
    Settings overrides(Settings settings, Path tmp) {
        Map<String, Object> o = Map.ofEntries(
                Map.entry("ich.synth.patients", patients),
                Map.entry("ich.synth.matrix", matrix),
                Map.entry("ich.synth.min-slices", minSlices),
                Map.entry("ich.synth.max-slices", maxSlices),
                Map.entry("ich.synth.bleed-fraction", bleedFraction),
                Map.entry("ich.synth.out", tmp.resolve("dicom").toUri().toString()),
                Map.entry("ich.synth.labels", tmp.resolve("labels.csv").toUri().toString()),
                Map.entry("ich.etl.input", tmp.resolve("dicom").toUri().toString()),
                Map.entry("ich.etl.labels", tmp.resolve("labels.csv").toUri().toString()),
                Map.entry("ich.etl.size", size),
                Map.entry("ich.etl.split.train", 1 - validFraction),
                Map.entry("ich.etl.split.valid", validFraction),
                Map.entry("ich.etl.split.test", 0),
                Map.entry("ich.warehouse", tmp.resolve("warehouse").toUri().toString()),
                // The cohort is the benchmark's own synthetic phantoms: the public development key is enough.
                Map.entry("ich.privacy.allow-dev-key", true),
                Map.entry("ich.registry.root", tmp.resolve("models").toUri().toString()),
                Map.entry("ich.spark.master", sparkMaster));
        return new Settings(ConfigFactory.parseMap(o).withFallback(settings.config()), settings.env());
    }

    /** One ich train run of the comparison: its own registry and export folder under {@code work}; workers 0 = as set. */
    static Settings sparkRun(Settings bench, Path work, int workers) {
        Map<String, Object> o = new HashMap<>(Map.of(
                "ich.registry.root", work.resolve("models").toUri().toString(),
                "ich.train.export-dir", work.resolve("export").toUri().toString()));
        if (workers > 0) o.put("ich.train.workers", workers);
        return new Settings(ConfigFactory.parseMap(o).withFallback(bench.config()), bench.env());
    }
}
