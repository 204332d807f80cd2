package org.ich.train.sequence;

import org.ich.train.model.Head;

/**
 * What a context model is: enough to rebuild its graph ({@link ContextModels}) and to lay out its inputs
 * ({@link SeriesSteps}).
 *
 * @param kind      how neighbouring slices are combined
 * @param embedding width of a slice's pooled CNN features
 * @param logits    outputs of the slice stage whose logits each step carries; equal to {@code outputs}
 * @param hidden    units per LSTM direction, or filters per TCN convolution
 * @param outputs   1 ("any") or 6 (every RSNA label), per slice
 * @param anyWeight loss weight of "any" relative to each subtype (6 outputs only)
 */
public record ContextSpec(Kind kind, int embedding, int logits, int hidden, int outputs, double anyWeight)
        implements java.io.Serializable {

    /** Per-step features besides the three embedding blocks: the gaps to the previous and next slice. */
    static final int GAP_FEATURES = 2;

    public enum Kind {
        /** A bidirectional LSTM: every slice sees the whole series. */
        BILSTM,
        /** Two convolutions over slices, kernels 3 and 5: every slice sees three slices either side. */
        TCN
    }

    public ContextSpec {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (embedding < 1) {
            throw new IllegalArgumentException("embedding must be >= 1, got " + embedding);
        }
        if (outputs != 1 && outputs != Head.SIX.outputs()) {
            throw new IllegalArgumentException("outputs must be 1 or " + Head.SIX.outputs() + ", got " + outputs);
        }
        if (logits != outputs) {
            throw new IllegalArgumentException("logits must equal outputs (" + outputs + "), got " + logits);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
        }
        if (!(anyWeight > 0) || Double.isInfinite(anyWeight)) {
            throw new IllegalArgumentException("anyWeight must be a positive number, got " + anyWeight);
        }
    }

    /** The slice's own embedding, its differences to both neighbours, the slice-stage logits and the z gaps. */
    public int stepFeatures() {
        return 3 * embedding + logits + GAP_FEATURES;
    }

    /** Per-output weights of the slice loss, as the slice stage's head weighs them. */
    public double[] lossWeights() {
        return head().lossWeights(anyWeight);
    }

    Head head() {
        return outputs == 1 ? Head.ANY : Head.SIX;
    }
}
