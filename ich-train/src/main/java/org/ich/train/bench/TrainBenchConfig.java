package org.ich.train.bench;

import java.util.List;

import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.train.model.Architecture;
import org.ich.train.model.ModelSpec;

/**
 * {@code ich.bench.train}: which networks {@code ich bench train} times and how long.
 *
 * @param architectures      networks timed in this JVM
 * @param sizes              input sizes timed in this JVM, each with every architecture
 * @param batch              images per minibatch, everywhere
 * @param warmupIterations   untimed minibatches before each timing (JIT, oneDNN primitive caches, workspaces)
 * @param iterations         timed minibatches per figure
 * @param spark              whether to time parameter-averaging training on Spark too
 * @param sparkMaster        master when not started by spark-submit
 * @param sparkArchitectures networks timed on Spark
 * @param sparkSizes         input sizes timed on Spark
 * @param averagingFrequency minibatches per worker between two averagings
 * @param sparkRounds        averaging rounds in the timed epoch
 */
public record TrainBenchConfig(List<String> architectures, List<Integer> sizes, int batch, int warmupIterations,
                               int iterations, boolean spark, String sparkMaster, List<String> sparkArchitectures,
                               List<Integer> sparkSizes, int averagingFrequency, int sparkRounds) {

    static final String PREFIX = "ich.bench.train.";

    public static TrainBenchConfig from(Settings s) {
        return new TrainBenchConfig(
                architectures(s, PREFIX + "architectures"),
                sizes(s, PREFIX + "sizes"),
                s.integer(PREFIX + "batch", 1, 4096),
                s.integer(PREFIX + "warmup-iterations", 0, 1000),
                s.integer(PREFIX + "iterations", 1, 100_000),
                s.bool(PREFIX + "spark"),
                s.string(PREFIX + "spark-master"),
                architectures(s, PREFIX + "spark-architectures"),
                sizes(s, PREFIX + "spark-sizes"),
                s.integer(PREFIX + "averaging-frequency", 1, 1000),
                s.integer(PREFIX + "spark-rounds", 1, 1000));
    }

    private static List<String> architectures(Settings s, String key) {
        List<String> names = s.strings(key);
        for (String name : names) {
            try {
                Architecture.of(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigError(key, e.getMessage());
            }
        }
        return names;
    }

    private static List<Integer> sizes(Settings s, String key) {
        return s.integers(key, ModelSpec.MIN_SIZE, 2048);
    }
}
