package org.ich.train.evaluation;

/**
 * A two-sided 95% confidence interval.
 *
 * @param low  lower bound; NaN when the interval is undefined
 * @param high upper bound; NaN when the interval is undefined
 */
public record Interval(double low, double high) {

    /** No interval: nothing to estimate from (no trials, one class only, too few defined replicates). */
    public static final Interval NONE = new Interval(Double.NaN, Double.NaN);

    public boolean defined() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    public boolean contains(double value) {
        return defined() && value >= low && value <= high;
    }
}
