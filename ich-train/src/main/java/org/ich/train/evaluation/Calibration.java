package org.ich.train.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * How far predicted probabilities are from observed frequencies, over equal-width bins on [0, 1].
 * AUC says nothing about this: a model can rank perfectly and still say 0.9 where 0.3 happens.
 */
public final class Calibration {

    /**
     * One non-empty bin of the reliability diagram.
     *
     * @param lower         inclusive lower edge
     * @param upper         exclusive upper edge (inclusive for the last bin, which holds p == 1)
     * @param meanPredicted mean predicted probability of the bin's samples
     * @param observed      share of the bin's samples that are positive
     */
    public record Bin(double lower, double upper, long count, double meanPredicted, double observed) {
    }

    private final double ece;
    private final List<Bin> bins;

    private Calibration(double ece, List<Bin> bins) {
        this.ece = ece;
        this.bins = bins;
    }

    /**
     * @param p    predicted probabilities in [0, 1]
     * @param y    truth, 0 or 1
     * @param bins number of equal-width bins, at least 1
     */
    public static Calibration of(double[] p, int[] y, int bins) {
        if (p.length != y.length) {
            throw new IllegalArgumentException(p.length + " probabilities but " + y.length + " labels");
        }
        if (p.length == 0) {
            throw new IllegalArgumentException("No samples to calibrate");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("Need at least one bin, got " + bins);
        }
        long[] counts = new long[bins];
        double[] predicted = new double[bins];
        long[] positives = new long[bins];
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("Probability " + i + " is " + p[i] + ", not in [0, 1]");
            }
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("Labels must be 0 or 1, got " + y[i]);
            }
            int b = Math.min((int) (p[i] * bins), bins - 1);
            counts[b]++;
            predicted[b] += p[i];
            positives[b] += y[i];
        }
        double ece = 0;
        List<Bin> nonEmpty = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (counts[b] == 0) {
                continue;
            }
            double meanPredicted = predicted[b] / counts[b];
            double observed = (double) positives[b] / counts[b];
            ece += (double) counts[b] / p.length * Math.abs(meanPredicted - observed);
            nonEmpty.add(new Bin((double) b / bins, (double) (b + 1) / bins, counts[b], meanPredicted, observed));
        }
        return new Calibration(ece, List.copyOf(nonEmpty));
    }

    /** Expected calibration error: the count-weighted mean gap between predicted and observed. */
    public double ece() {
        return ece;
    }

    /** The non-empty bins, lowest first. */
    public List<Bin> bins() {
        return bins;
    }
}
