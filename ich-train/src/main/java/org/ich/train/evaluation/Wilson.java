package org.ich.train.evaluation;

/**
 * The Wilson score interval for a binomial proportion. Not the normal (Wald) interval: that one
 * collapses to [0, 0] or [1, 1] when every trial goes one way, which is exactly the case for a
 * sensitivity measured on a handful of positives in a rare subtype.
 */
public final class Wilson {

    /** The two-sided 95% normal quantile. */
    public static final double Z = 1.959963984540054;

    private Wilson() {
    }

    /** 95% interval of {@code successes / n}; {@link Interval#NONE} when {@code n == 0}. */
    public static Interval of(long successes, long n) {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException(successes + " successes out of " + n + " trials");
        }
        if (n == 0) {
            return Interval.NONE;
        }
        double p = (double) successes / n;
        double z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // Clamp only the rounding: at 0/n and n/n the exact bound is 0 or 1.
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
