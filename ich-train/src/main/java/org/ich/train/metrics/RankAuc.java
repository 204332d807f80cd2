package org.ich.train.metrics;

import java.util.Arrays;

/**
 * ROC AUC as the Mann-Whitney statistic: the share of (positive, negative) pairs the scores put in
 * the right order, a tie counting half.
 *
 * <p>Not DL4J's {@code ROCBinary}: its exact mode makes one ROC point per sample after sorting, so
 * tied scores are ordered arbitrarily and the AUC can come out anywhere between the pessimistic and
 * the optimistic value (scores [0.3, 0.3, 0.3, 0.1, 0.7], labels [1, 0, 0, 0, 1] give it 1.0
 * instead of 5/6). Ties are common here: float sigmoids saturate to exactly 0 or 1.
 */
public final class RankAuc {

    private RankAuc() {
    }

    /** NaN when either class is absent, since no pair can be ordered. */
    public static double of(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        int positives = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("Labels must be 0 or 1, got " + labels[i]);
            }
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("Score " + i + " is NaN");
            }
            positives += labels[i];
        }
        double[] pos = new double[positives];
        double[] neg = new double[labels.length - positives];
        for (int i = 0, p = 0, n = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                pos[p++] = scores[i];
            } else {
                neg[n++] = scores[i];
            }
        }
        if (pos.length == 0 || neg.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // Walk the positives upwards; neg[0, below) score lower, neg[below, upTo) tie.
        double orderedPairs = 0;
        int below = 0;
        int upTo = 0;
        for (double score : pos) {
            while (below < neg.length && neg[below] < score) {
                below++;
            }
            upTo = Math.max(upTo, below);
            while (upTo < neg.length && neg[upTo] == score) {
                upTo++;
            }
            orderedPairs += below + 0.5 * (upTo - below);
        }
        return orderedPairs / ((double) pos.length * neg.length);
    }
}
