package org.ich.score;

import java.io.Serializable;
import java.util.List;

import org.ich.train.model.Labels;

/**
 * What scoring needs of a model version, small enough to broadcast: its id, its input (channels, size, whether slices
 * are stacked with their neighbours), the labels its outputs are in order, and the serialized network.
 */
public record ScoringModel(String version, int channels, int size, boolean neighbours, List<String> labels,
                           byte[] modelZip) implements Serializable {

    public ScoringModel {
        labels = List.copyOf(labels);
        if (labels.isEmpty() || !Labels.NAMES.subList(0, labels.size()).equals(labels)) {
            throw new IllegalArgumentException("model " + version + ": outputs " + labels + " are not a prefix of " + Labels.NAMES);
        }
    }

    public int outputs() {
        return labels.size();
    }
}
