package org.ich.train.evaluation;

/**
 * @param bins       equal-width calibration bins on [0, 1]
 * @param replicates patient bootstrap replicates per AUC interval
 * @param seed       base seed; each row derives its own from it (see {@link Evaluation})
 */
public record EvaluationOptions(int bins, int replicates, long seed) {

    public EvaluationOptions {
        if (bins < 1) {
            throw new IllegalArgumentException("Need at least one calibration bin, got " + bins);
        }
        if (replicates < 1) {
            throw new IllegalArgumentException("Need at least one bootstrap replicate, got " + replicates);
        }
    }

    /** Ten bins, as reliability diagrams usually have; 1000 replicates keep the 2.5th percentile stable. */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(10, 1000, 2019L);
    }
}
