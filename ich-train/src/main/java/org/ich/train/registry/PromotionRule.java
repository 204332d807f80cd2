package org.ich.train.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a candidate replaces the champion. Losses are only comparable on the same validation patients, so a
 * different fingerprint is a refusal, not a comparison. On the same patients a candidate must not flag fewer of the
 * haemorrhage studies at its primary operating point than the champion did at its own (triage runs at a threshold, so
 * a lower loss bought with missed studies is a regression), and must have the lower validation weighted log loss.
 * A side without an operating point (a version promoted before it was evaluated) skips the sensitivity check.
 */
final class PromotionRule {
    private final double minImprovement;

    PromotionRule(double minImprovement) {
        this.minImprovement = minImprovement;
    }

    Promotion decide(Manifest candidate, Optional<ChampionPointer> champion) {
        String id = candidate.version();
        String previous = champion.map(ChampionPointer::version).orElse(null);
        if (candidate.status() != Manifest.Status.COMPLETE) {
            return refuse("version " + id + " is " + candidate.status() + "; only COMPLETE versions can be promoted", previous);
        }
        if (candidate.validationFingerprint() == null) {
            return refuse("version " + id + " records no validation fingerprint, so its loss cannot be compared", previous);
        }
        double loss = candidate.metrics().validWeightedLogLoss();
        if (champion.isEmpty()) {
            return new Promotion(true, "first champion, " + Manifest.Metrics.WEIGHTED_LOG_LOSS + " " + fmt(loss), null);
        }
        ChampionPointer c = champion.get();
        if (c.version().equals(id)) return refuse("version " + id + " is already the champion", previous);
        if (!Objects.equals(c.validationFingerprint(), candidate.validationFingerprint())) {
            return refuse("version " + id + " was validated on other patients (" + ValidationFingerprint.brief(candidate.validationFingerprint())
                    + ") than champion " + c.version() + " (" + ValidationFingerprint.brief(c.validationFingerprint())
                    + "); evaluate both on the same validation patients before comparing them", previous);
        }
        Optional<Manifest.OperatingPoint> point = candidate.primaryOperatingPoint();
        if (point.isPresent() && c.sensitivity() != null && point.get().sensitivity() < c.sensitivity() - 1e-9) {
            return refuse("study-level sensitivity " + pct(point.get().sensitivity()) + " at operating point "
                    + point.get().name() + " is below champion " + c.version() + "'s " + pct(c.sensitivity()) + " at "
                    + c.operatingPoint() + " on the same validation patients", previous);
        }
        String sensitivity = point.isPresent() && c.sensitivity() != null ? ", study-level sensitivity "
                + pct(point.get().sensitivity()) + " vs " + pct(c.sensitivity()) : "";
        if (loss < c.value() - minImprovement) {
            return new Promotion(true, Manifest.Metrics.WEIGHTED_LOG_LOSS + " " + fmt(loss) + " beats champion " + c.version()
                    + "'s " + fmt(c.value()) + sensitivity, previous);
        }
        return refuse(Manifest.Metrics.WEIGHTED_LOG_LOSS + " " + fmt(loss) + " does not beat champion " + c.version() + "'s "
                + fmt(c.value()) + (minImprovement > 0 ? " by at least ich.registry.min-improvement = " + fmt(minImprovement) : ""),
                previous);
    }

    private static Promotion refuse(String reason, String previous) {
        return new Promotion(false, reason, previous);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
