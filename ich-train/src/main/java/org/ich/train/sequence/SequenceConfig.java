package org.ich.train.sequence;

import java.util.List;

import org.ich.config.Settings;
import org.ich.train.model.Tta;

/**
 * The context stage of {@code ich train} (keys under {@code ich.train.sequence}): a model over each series' ordered
 * slice embeddings, trained after the slice stage on the same splits.
 *
 * @param enabled      train it (off: a version holds the slice stage alone, as before)
 * @param kind         bidirectional LSTM or temporal convolution
 * @param hidden       units per direction (LSTM) or filters (TCN)
 * @param epochs       passes over the train series
 * @param batchSize    series per minibatch, padded to the longest and masked
 * @param learningRate Adam's rate, constant
 * @param views        test-time views the embeddings average, at training and at scoring alike
 * @param folds        out-of-fold embeddings of the train slices: that many folds of the train patients, each embedded
 *                     by a slice network trained without it; below 2, the version's own network embeds them
 */
public record SequenceConfig(boolean enabled, ContextSpec.Kind kind, int hidden, int epochs, int batchSize,
                             double learningRate, List<Tta> views, int folds) implements java.io.Serializable {

    public static SequenceConfig from(Settings s) {
        return new SequenceConfig(s.bool("ich.train.sequence.enabled"),
                s.choice("ich.train.sequence.kind", ContextSpec.Kind.class),
                s.integer("ich.train.sequence.hidden", 1, 4096),
                s.integer("ich.train.sequence.epochs", 1, 10_000),
                s.integer("ich.train.sequence.batch-size", 1, 100_000),
                s.number("ich.train.sequence.learning-rate", 1e-7, 1),
                Tta.read(s, "ich.train.sequence.tta"),
                s.integer("ich.train.sequence.folds", 0, 10));
    }

    /** Whether the train slices are embedded out of fold. */
    public boolean outOfFold() {
        return folds >= 2;
    }
}
