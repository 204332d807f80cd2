package org.ich.train.metrics;

import org.ich.domain.Labels;

/**
 * The RSNA 2019 Intracranial Hemorrhage Detection score: per slice, the weighted mean over labels
 * of the binary log loss, then the plain mean over slices. Lower is better.
 */
public final class RsnaMetric {

    /** The competition clipped probabilities so that a single confident miss costs ~34.5, not infinity. */
    public static final double CLIP = 1e-15;

    private RsnaMetric() {
    }

    /** With the competition weights (2 on "any", 1 on each subtype); six columns in label order. */
    public static double weightedLogLoss(double[][] probs, int[][] labels) {
        return weightedLogLoss(probs, labels, Labels.rsnaWeights());
    }

    /**
     * @param probs   [sample][label] predicted probabilities
     * @param labels  [sample][label] truth, 0 or 1
     * @param weights one per label column; only their ratios matter
     */
    public static double weightedLogLoss(double[][] probs, int[][] labels, double[] weights) {
        if (probs.length != labels.length) {
            throw new IllegalArgumentException(probs.length + " prediction rows but " + labels.length + " label rows");
        }
        if (probs.length == 0) {
            throw new IllegalArgumentException("No samples to score");
        }
        double weightSum = 0;
        for (double w : weights) {
            weightSum += w;
        }
        double total = 0;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i].length != weights.length || labels[i].length != weights.length) {
                throw new IllegalArgumentException("Row " + i + " does not have " + weights.length + " columns");
            }
            double sample = 0;
            for (int j = 0; j < weights.length; j++) {
                sample += weights[j] * logLoss(probs[i][j], labels[i][j]);
            }
            total += sample / weightSum;
        }
        return total / probs.length;
    }

    /** Binary log loss of one prediction, clipped as the competition did. */
    public static double logLoss(double prob, int label) {
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("Labels must be 0 or 1, got " + label);
        }
        double p = Math.min(Math.max(prob, CLIP), 1 - CLIP);
        return label == 1 ? -Math.log(p) : -Math.log1p(-p);
    }
}
