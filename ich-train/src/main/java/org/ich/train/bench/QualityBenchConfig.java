package org.ich.train.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.ich.config.ConfigError;
import org.ich.config.Settings;

/**
 * {@code ich.bench.quality}: the grid of cohorts {@code ich bench quality} writes and which runs it compares on each.
 * The recipe is ich.train's own, so the benchmark measures the defaults users get.
 *
 * @param cohorts       the grid, in order; quick mode keeps the first {@code quickCohorts} with fewer patients and epochs
 * @param size          tensor side the ETL writes, and the training size
 * @param validFraction share of patients in split valid (the rest train)
 * @param quickEpochs   epochs of every run in quick mode
 * @param reference     run the PyTorch reference
 * @param python        interpreter with Debian's python3-torch and python3-torchvision
 * @param oneJvm        run DL4J in this JVM without Spark
 * @param sparkWorkers  one {@code ich train} run on Spark per entry, with that many ich.train.workers (0 = default)
 * @param sparkMaster   master when not started by spark-submit
 */
public record QualityBenchConfig(List<Cohort> cohorts, boolean quick, int quickCohorts, int quickPatients, int quickEpochs,
                                 int size, double validFraction, boolean reference, String python, boolean oneJvm,
                                 List<Integer> sparkWorkers, String sparkMaster) {

    static final String PREFIX = "ich.bench.quality.";

    /**
     * One synthetic cohort of the grid and its patient split.
     *
     * @param splitSalt salt of the patient split hash (ich.etl.split.salt): another salt, another split
     */
    public record Cohort(String name, long seed, int patients, int matrix, int minSlices, int maxSlices,
                         double bleedFraction, String splitSalt) {

        static Cohort from(Settings s, String key) {
            String p = key + ".";
            int minSlices = s.integer(p + "min-slices", 5, 1000);
            int maxSlices = s.integer(p + "max-slices", 5, 1000);
            if (maxSlices < minSlices) {
                throw new ConfigError(p + "max-slices", "must be at least min-slices (" + minSlices + "), got " + maxSlices);
            }
            String name = s.string(p + "name");
            if (!name.matches("[a-z0-9_]+")) {
                throw new ConfigError(p + "name", "must be lower-case letters, digits and _ (it names output lines), got " + name);
            }
            return new Cohort(name, s.longValue(p + "seed", Long.MIN_VALUE, Long.MAX_VALUE),
                    s.integer(p + "patients", 4, 100_000), s.integer(p + "matrix", 64, 2048), minSlices, maxSlices,
                    s.number(p + "bleed-fraction", 0, 1), s.string(p + "split-salt"));
        }

        Cohort withPatients(int n) {
            return new Cohort(name, seed, n, matrix, minSlices, maxSlices, bleedFraction, splitSalt);
        }
    }

    public static QualityBenchConfig from(Settings s) {
        List<Cohort> cohorts = new ArrayList<>();
        List<? extends Config> listed = s.objects(PREFIX + "cohorts");
        for (int i = 0; i < listed.size(); i++) {
            // Each entry read at a key of its own, so that an error names the entry: ich.bench.quality.cohorts.2.seed.
            String key = PREFIX + "cohorts." + i;
            cohorts.add(Cohort.from(new Settings(listed.get(i).atPath(key), s.env()), key));
        }
        if (cohorts.isEmpty()) {
            throw new ConfigError(PREFIX + "cohorts", "must list at least one cohort");
        }
        if (cohorts.stream().map(Cohort::name).distinct().count() < cohorts.size()) {
            throw new ConfigError(PREFIX + "cohorts", "every cohort needs a name of its own");
        }
        // 0 = ich's default (one replica per executor).
        List<Integer> workers = s.integers(PREFIX + "spark-workers", 0, 1024);
        return new QualityBenchConfig(List.copyOf(cohorts), s.bool(PREFIX + "quick"),
                s.integer(PREFIX + "quick-cohorts", 1, 1000), s.integer(PREFIX + "quick-patients", 4, 100_000),
                s.integer(PREFIX + "quick-epochs", 1, 10_000), s.integer(PREFIX + "size", 32, 1024),
                s.number(PREFIX + "valid-fraction", 0.05, 0.95), s.bool(PREFIX + "reference"),
                s.string(PREFIX + "python"), s.bool(PREFIX + "one-jvm"), workers, s.string(PREFIX + "spark-master"));
    }

    /** The cohorts this run measures: the grid, or in quick mode its first ones with fewer patients. */
    List<Cohort> grid() {
        if (!quick) return cohorts;
        return cohorts.subList(0, Math.min(quickCohorts, cohorts.size())).stream()
                .map(c -> c.withPatients(Math.min(c.patients(), quickPatients))).toList();
    }

    /** ich's settings with one cohort, its split and a scratch warehouse under {@code tmp}. */
    Settings overrides(Settings settings, Cohort cohort, Path tmp) {
        Map<String, Object> o = new HashMap<>(Map.ofEntries(
                Map.entry("ich.synth.patients", cohort.patients()),
                Map.entry("ich.synth.seed", cohort.seed()),
                Map.entry("ich.synth.matrix", cohort.matrix()),
                Map.entry("ich.synth.min-slices", cohort.minSlices()),
                Map.entry("ich.synth.max-slices", cohort.maxSlices()),
                Map.entry("ich.synth.bleed-fraction", cohort.bleedFraction()),
                Map.entry("ich.synth.out", tmp.resolve("dicom").toUri().toString()),
                Map.entry("ich.synth.labels", tmp.resolve("labels.csv").toUri().toString()),
                Map.entry("ich.etl.input", tmp.resolve("dicom").toUri().toString()),
                Map.entry("ich.etl.labels", tmp.resolve("labels.csv").toUri().toString()),
                Map.entry("ich.etl.size", size),
                Map.entry("ich.etl.split.train", 1 - validFraction),
                Map.entry("ich.etl.split.valid", validFraction),
                Map.entry("ich.etl.split.test", 0),
                Map.entry("ich.etl.split.salt", cohort.splitSalt()),
                Map.entry("ich.warehouse", tmp.resolve("warehouse").toUri().toString()),
                // The cohort is the benchmark's own synthetic phantoms: the public development key is enough.
                Map.entry("ich.privacy.allow-dev-key", true),
                Map.entry("ich.registry.root", tmp.resolve("models").toUri().toString()),
                Map.entry("ich.spark.master", sparkMaster)));
        if (quick) o.put("ich.train.epochs", quickEpochs);
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
