package org.ich.train.model;

import org.ich.domain.Labels;

/**
 * What a trained model is: enough to rebuild its graph and to read its inputs and outputs.
 *
 * @param architecture one of {@link Architecture#ids()}
 * @param channels     input channels: windows x neighbouring slices for the 2.5D inputs
 * @param size         input height and width in pixels
 * @param head         which labels the network predicts
 * @param anyWeight    loss weight of "any" relative to each subtype (SIX head only)
 */
public record ModelSpec(String architecture, int channels, int size, Head head, double anyWeight)
        implements java.io.Serializable {

    /** The stem divides by 4 and each later stage by 2; below this the last stage would be sub-pixel. */
    public static final int MIN_SIZE = 32;

    public ModelSpec {
        Architecture.of(architecture);
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("size must be >= " + MIN_SIZE + ", got " + size);
        }
        if (head == null) {
            throw new IllegalArgumentException("head is required");
        }
        if (!(anyWeight > 0) || Double.isInfinite(anyWeight)) {
            throw new IllegalArgumentException("anyWeight must be a positive number, got " + anyWeight);
        }
    }

    /** The competition's weighting of "any". */
    public static ModelSpec of(String architecture, int channels, int size, Head head) {
        return new ModelSpec(architecture, channels, size, head, Labels.RSNA_ANY_WEIGHT);
    }

    public Architecture resolvedArchitecture() {
        return Architecture.of(architecture);
    }

    public double[] lossWeights() {
        return head.lossWeights(anyWeight);
    }
}
