package org.ich.train.evaluation;

import java.util.Arrays;

/**
 * A named threshold chosen to reach a sensitivity, e.g. "triage" at 0.95. It is chosen on one set
 * (validation) and then applied unchanged to another, so that the sensitivity reported there is
 * an honest estimate rather than the target by construction.
 *
 * @param threshold a row is flagged when {@code score >= threshold}
 */
public record OperatingPoint(String name, double targetSensitivity, double threshold) {

    /**
     * The highest threshold, one of the positives' scores, whose sensitivity on these scores is at
     * least {@code target}: the most specific point that still meets the target.
     */
    public static OperatingPoint choose(String name, double target, double[] scores, int[] labels) {
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("Target sensitivity of '" + name + "' must be in (0, 1], got " + target);
        }
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        double[] positives = new double[scores.length];
        int count = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == 1) {
                if (Double.isNaN(scores[i])) {
                    throw new IllegalArgumentException("Score " + i + " is NaN");
                }
                positives[count++] = scores[i];
            } else if (labels[i] != 0) {
                throw new IllegalArgumentException("Labels must be 0 or 1, got " + labels[i]);
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("Cannot choose operating point '" + name + "': no positives");
        }
        double[] sorted = Arrays.copyOf(positives, count);
        Arrays.sort(sorted);
        // Walking down from the top positive, threshold sorted[i] flags at least count - i positives
        // (more with ties, which share the threshold); the first that reaches the target is the highest.
        // Compared as Confusion computes sensitivity, so the chosen point meets its target there too.
        for (int i = count - 1; i >= 0; i--) {
            int flagged = count - i;
            while (i > 0 && sorted[i - 1] == sorted[i]) {
                i--;
                flagged++;
            }
            if ((double) flagged / count >= target) {
                return new OperatingPoint(name, target, sorted[i]);
            }
        }
        return new OperatingPoint(name, target, sorted[0]);
    }
}
