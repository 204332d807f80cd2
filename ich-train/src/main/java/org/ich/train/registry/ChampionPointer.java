package org.ich.train.registry;

import java.time.Instant;

/**
 * Content of {@code <root>/champion}: which version serves, and the figures it won with. Promotion compares against
 * these, so a champion keeps its place even if its folder is later edited by hand.
 *
 * @param metric                name of the metric compared, {@link Manifest.Metrics#WEIGHTED_LOG_LOSS}
 * @param value                 the champion's value of it (lower is better)
 * @param validationFingerprint the validation patients the value was measured on
 */
public record ChampionPointer(String version, String metric, double value, String validationFingerprint, Instant promotedAt) {
    public ChampionPointer {
        VersionId.check(version);
    }
}
