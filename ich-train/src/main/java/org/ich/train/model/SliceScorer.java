package org.ich.train.model;

/**
 * What {@link Occlusion} needs of a model: p(label) of each input of a batch, the inputs being C x S x S floats in the
 * network's input scale ([0, 1], byte / 255, row-major per channel). A pure function in tests; {@link #of} runs the
 * real network.
 */
@FunctionalInterface
public interface SliceScorer {

    /** One probability per input, in input order. */
    double[] score(float[][] inputs);

    /**
     * The network behind {@code predictor}, output {@code label} (an index into the model's outputs, e.g. 0 for
     * {@code any}), averaged over its test-time views as scoring does. The inputs must be at {@link SlicePredictor#size()};
     * their channel count is read off their length.
     */
    static SliceScorer of(SlicePredictor predictor, int label) {
        if (label < 0) throw new IllegalArgumentException("label index must not be negative, got " + label);
        return inputs -> {
            if (inputs.length == 0) return new double[0];
            int plane = predictor.size() * predictor.size();
            if (inputs[0].length % plane != 0) {
                throw new IllegalArgumentException("an input of " + inputs[0].length + " values is not C x " + predictor.size()
                        + " x " + predictor.size() + " (the network's input size)");
            }
            double[][] probabilities = predictor.predictInputs(inputs, inputs[0].length / plane);
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
