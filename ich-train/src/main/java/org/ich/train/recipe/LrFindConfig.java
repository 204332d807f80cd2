package org.ich.train.recipe;

import java.net.URI;

import org.ich.config.ConfigError;
import org.ich.config.Settings;

/** Settings of {@code ich lr-find} (keys under {@code ich.train.lr-find}). */
public record LrFindConfig(double minLr, double maxLr, int batches, double smoothing, double divergence, int size,
                           URI out) {

    public static LrFindConfig from(Settings s) {
        double min = s.number("ich.train.lr-find.min-lr", 1e-12, 10);
        double max = s.number("ich.train.lr-find.max-lr", 1e-12, 100);
        if (!(max > min)) {
            throw new ConfigError("ich.train.lr-find.max-lr", "must exceed ich.train.lr-find.min-lr (" + min + "), got " + max);
        }
        return new LrFindConfig(min, max, s.integer("ich.train.lr-find.batches", 2, 100_000),
                s.number("ich.train.lr-find.smoothing", 0, 0.999),
                s.number("ich.train.lr-find.divergence", 1.01, 1e6),
                s.integer("ich.train.lr-find.size", 0, 2048),
                s.storageUri("ich.train.lr-find.out"));
    }

    public LrRangeTest newTest() {
        return new LrRangeTest(minLr, maxLr, batches, smoothing, divergence);
    }
}
