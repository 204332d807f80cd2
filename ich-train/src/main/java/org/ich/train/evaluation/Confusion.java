package org.ich.train.evaluation;

/**
 * The 2x2 table of a thresholded score. Ratios are NaN when their denominator is 0, so an empty
 * stratum reads as "unknown" rather than as a perfect or a useless test.
 */
public record Confusion(long tp, long fp, long tn, long fn) {

    /** Flags a row when {@code score >= threshold}. */
    public static Confusion at(double threshold, double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (labels[i] == 1) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (labels[i] == 0) {
                if (flagged) {
                    fp++;
                } else {
                    tn++;
                }
            } else {
                throw new IllegalArgumentException("Labels must be 0 or 1, got " + labels[i]);
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    public double sensitivity() {
        return ratio(tp, tp + fn);
    }

    public double specificity() {
        return ratio(tn, tn + fp);
    }

    public double ppv() {
        return ratio(tp, tp + fp);
    }

    public double npv() {
        return ratio(tn, tn + fn);
    }

    public Interval sensitivityCi() {
        return Wilson.of(tp, tp + fn);
    }

    public Interval specificityCi() {
        return Wilson.of(tn, tn + fp);
    }

    public Interval ppvCi() {
        return Wilson.of(tp, tp + fp);
    }

    public Interval npvCi() {
        return Wilson.of(tn, tn + fn);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
