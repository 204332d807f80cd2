package org.ich.train.model;

/**
 * What {@link Occlusion} needs of a model: p(label), or its log-odds, of each input of a batch, the inputs being C x S x S floats in the
 * network's input scale ([0, 1], byte / 255, row-major per channel). A pure function in tests; {@link #of} runs the
 * real network.
 */
@FunctionalInterface
public interface SliceScorer {

    /** One value (a probability, or log-odds) per input, in input order. */
    double[] score(float[][] inputs);

    /**
     * The network behind {@code predictor}, output {@code label} (an index into the model's outputs, e.g. 0 for
     * {@code any}), averaged over its test-time views as scoring does. The inputs must be at {@link SlicePredictor#size()};
     * their channel count is read off their length.
     */
    static SliceScorer of(SlicePredictor predictor, int label) {
        return of(predictor, label, false);
    }

    /**
     * The log-odds of output {@code label} instead of its probability ({@link SlicePredictor#logitsOfInputs}): what
     * occlusion maps measure, since a drop in a saturated probability (0.9999 to 0.999) is lost in float32 and in
     * the mean over patches, while the same drop in log-odds (9.2 to 6.9) is not.
     */
    static SliceScorer logitOf(SlicePredictor predictor, int label) {
        return of(predictor, label, true);
    }

    private static SliceScorer of(SlicePredictor predictor, int label, boolean logits) {
        if (label < 0) throw new IllegalArgumentException("label index must not be negative, got " + label);
        return inputs -> {
            if (inputs.length == 0) return new double[0];
            int plane = predictor.size() * predictor.size();
            if (inputs[0].length % plane != 0) {
                throw new IllegalArgumentException("an input of " + inputs[0].length + " values is not C x " + predictor.size()
                        + " x " + predictor.size() + " (the network's input size)");
            }
            int channels = inputs[0].length / plane;
            double[][] probabilities = logits ? predictor.logitsOfInputs(inputs, channels)
                    : predictor.predictInputs(inputs, channels);
            double[] p = new double[inputs.length];
            for (int i = 0; i < p.length; i++) {
                if (label >= probabilities[i].length) {
                    throw new IllegalArgumentException("label index " + label + " but the network has "
                            + probabilities[i].length + " outputs");
                }
                p[i] = probabilities[i][label];
            }
            return p;
        };
    }
}
