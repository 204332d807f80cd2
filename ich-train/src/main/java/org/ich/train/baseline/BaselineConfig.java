package org.ich.train.baseline;

import org.ich.config.CommonConfig;
import org.ich.config.Settings;

/** Typed settings of {@code ich baseline} (section {@code ich.baseline} of conf/application.conf). */
public record BaselineConfig(CommonConfig common, int trees, int maxDepth, long seed) {

    public static BaselineConfig from(Settings s) {
        return new BaselineConfig(CommonConfig.from(s), s.integer("ich.baseline.trees", 1, 10_000),
                s.integer("ich.baseline.max-depth", 1, 30), s.longValue("ich.baseline.seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Override
    public String toString() {
        return "trees=" + trees + ", max-depth=" + maxDepth + ", seed=" + seed + ", table=" + common.table("slices");
    }
}
