package org.ich.train.job;

import java.io.Serializable;
import java.util.List;

/**
 * Probabilities and truth for a set of slices, one row each, columns in the model's output order.
 * Small enough to collect for a validation split (a few numbers per slice). A class, not a record:
 * Spark's Kryo cannot build records.
 */
public final class Predictions implements Serializable {

    private final double[][] probs;
    private final int[][] labels;

    public Predictions(double[][] probs, int[][] labels) {
        this.probs = probs;
        this.labels = labels;
    }

    public static Predictions concat(List<Predictions> parts) {
        int n = parts.stream().mapToInt(p -> p.probs.length).sum();
        double[][] probs = new double[n][];
        int[][] labels = new int[n][];
        int at = 0;
        for (Predictions p : parts) {
            System.arraycopy(p.probs, 0, probs, at, p.probs.length);
            System.arraycopy(p.labels, 0, labels, at, p.labels.length);
            at += p.probs.length;
        }
        return new Predictions(probs, labels);
    }

    public double[][] probs() {
        return probs;
    }

    public int[][] labels() {
        return labels;
    }

    public int size() {
        return probs.length;
    }
}
