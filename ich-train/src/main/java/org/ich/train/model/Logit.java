package org.ich.train.model;

/** Log-odds and back, for outputs that are sigmoids. */
public final class Logit {
    /** Probabilities are clipped this far from 0 and 1, where float32 sigmoids saturate. */
    public static final double CLIP = 1e-6;

    private Logit() {
    }

    public static double of(double p) {
        double q = Math.min(1 - CLIP, Math.max(CLIP, p));
        return Math.log(q / (1 - q));
    }

    public static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
