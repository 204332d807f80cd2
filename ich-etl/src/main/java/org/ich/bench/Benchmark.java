package org.ich.bench;

import org.ich.config.Settings;

import java.io.PrintStream;

/**
 * One {@code ich bench NAME} benchmark. Modules register theirs in {@code META-INF/services/org.ich.bench.Benchmark}.
 * Figures are printed one per line as {@code NAME VALUE}, ratios against a baseline measured in the same run.
 */
public interface Benchmark {
    String name();

    void run(Settings settings, PrintStream out) throws Exception;
}
