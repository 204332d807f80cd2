package org.ich.train.registry;

import java.time.Instant;

/**
 * Content of {@code <root>/champion}: which version serves, and the figures it won with. Promotion compares against
 * these, so a champion keeps its place even if its folder is later edited by hand.
 *
 * @param metric                name of the metric compared, {@link Manifest.Metrics#WEIGHTED_LOG_LOSS}
 * @param value                 the champion's value of it (lower is better)
 * @param validationFingerprint the validation patients the value was measured on
 * @param operatingPoint        name of the champion's primary operating point, null when it was promoted unevaluated
 * @param sensitivity           study-level sensitivity at that point on the same validation patients, or null
 */
public record ChampionPointer(String version, String metric, double value, String validationFingerprint, Instant promotedAt,
                              String operatingPoint, Double sensitivity) {
    public ChampionPointer {
        VersionId.check(version);
    }
}
