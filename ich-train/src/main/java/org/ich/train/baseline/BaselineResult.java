package org.ich.train.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the baseline measured, printed as {@code NAME VALUE} lines like the benchmarks, so scripts can pick figures.
 *
 * @param importances feature name to the forest's importance (sums to 1)
 */
public record BaselineResult(SplitCounts train, SplitCounts valid, long unlabelledSkipped, double trainAuc, double validAuc,
                             Map<String, Double> importances) {

    /** Labelled slices and positives ("any") of one split. */
    public record SplitCounts(long slices, long positives) {
        long negatives() { return slices - positives; }
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("baseline.valid.auc_any " + fmt(validAuc));
        out.add("baseline.train.auc_any " + fmt(trainAuc));
        out.add("baseline.train.slices " + train.slices());
        out.add("baseline.train.positives " + train.positives());
        out.add("baseline.valid.slices " + valid.slices());
        out.add("baseline.valid.positives " + valid.positives());
        out.add("baseline.unlabelled.skipped " + unlabelledSkipped);
        importances.forEach((name, v) -> out.add("baseline.importance." + name + " " + fmt(v)));
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
