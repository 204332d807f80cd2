package org.ich.train.model;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * Weighted binary cross-entropy over sigmoid outputs.
 *
 * <p>DL4J's {@link LossBinaryXENT} already multiplies each output column's log loss by a fixed
 * weight and serialises those weights with the model, so ich uses it rather than a loss of its own.
 * The weights are scaled to sum to one: a sample's loss is then exactly the RSNA 2019 per-sample
 * score (a weighted mean over labels), so training scores read on the leaderboard's scale. The
 * constant factor does not change the optimum and Adam is insensitive to it.
 *
 * <p>Differences from {@link org.ich.train.metrics.RsnaMetric}: DL4J clips probabilities to
 * [1e-5, 1-1e-5] rather than the metric's 1e-15, so past |logit| ~ 11.5 the loss is flat.
 */
public final class WeightedBce {

    private WeightedBce() {
    }

    /** The loss for a model's head: {@code anyWeight} on "any", 1 on each subtype. */
    public static LossBinaryXENT forSpec(ModelSpec spec) {
        return of(spec.lossWeights());
    }

    /** One weight per output column, in output order; any positive scale. */
    public static LossBinaryXENT of(double... weights) {
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("Loss weights must be finite and >= 0");
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("At least one loss weight must be positive");
        }
        double[] normalised = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            normalised[i] = weights[i] / sum;
        }
        // Kept in double: DL4J casts them to the activations' type, and a float 2/7 would be off in the 8th digit.
        return new LossBinaryXENT(Nd4j.createFromArray(normalised).reshape(1, weights.length));
    }
}
