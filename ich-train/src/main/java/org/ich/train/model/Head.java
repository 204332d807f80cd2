package org.ich.train.model;

import java.util.Arrays;

import org.ich.domain.Labels;

/** What the network predicts: "any" alone, or all six labels at once. */
public enum Head {
    ANY(1),
    SIX(Labels.COUNT);

    private final int outputs;

    Head(int outputs) {
        this.outputs = outputs;
    }

    public int outputs() {
        return outputs;
    }

    /** Which of {@link Labels#NAMES} the outputs are, in output order. */
    public int[] labelIndices() {
        int[] indices = new int[outputs];
        Arrays.setAll(indices, i -> i);
        return indices;
    }

    /**
     * Loss weight of each output. With one output the weight only rescales the loss,
     * so ANY uses 1 and the learning rate keeps its meaning.
     */
    public double[] lossWeights(double anyWeight) {
        return this == ANY ? new double[] {1.0} : Labels.weights(anyWeight);
    }
}
