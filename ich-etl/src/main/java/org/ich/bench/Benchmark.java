package org.ich.bench;

import org.ich.config.Settings;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * One {@code ich bench NAME} benchmark. Modules register theirs in {@code META-INF/services/org.ich.bench.Benchmark}.
 * Figures are printed one per line as {@code NAME VALUE}, ratios against a baseline measured in the same run.
 */
public interface Benchmark {
    String name();

    void run(Settings settings, PrintStream out) throws Exception;

    /**
     * A figure to three significant digits in plain notation: a fixed number of decimals prints a small ratio (a toy
     * run's Spark overhead against a 32 px network) as 0.00.
     */
    static String significant(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
