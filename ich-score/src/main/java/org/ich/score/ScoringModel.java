package org.ich.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.ich.domain.Labels;

/**
 * What scoring needs of a model version, small enough to broadcast: its id, its input (channels, size, whether slices
 * are stacked with their neighbours), the labels its outputs are in order, and the serialized network. A class, not a
 * record: Spark's Kryo, which serializes broadcasts, cannot build records.
 */
public final class ScoringModel implements Serializable {
    private final String version;
    private final String architecture;
    private final int channels;
    private final int size;
    private final boolean neighbours;
    private final List<String> labels;
    private final byte[] modelZip;

    /** @param architecture the network ich built ({@code resnet18}, ...), or null for one of another shape */
    public ScoringModel(String version, String architecture, int channels, int size, boolean neighbours, List<String> labels,
                        byte[] modelZip) {
        if (labels.isEmpty() || !Labels.NAMES.subList(0, labels.size()).equals(labels)) {
            throw new IllegalArgumentException("model " + version + ": outputs " + labels + " are not a prefix of " + Labels.NAMES);
        }
        this.version = version;
        this.architecture = architecture;
        this.channels = channels;
        this.size = size;
        this.neighbours = neighbours;
        // ArrayList, not List.copyOf: Kryo rebuilds the collection it was given.
        this.labels = new ArrayList<>(labels);
        this.modelZip = modelZip;
    }

    public String version() { return version; }

    public String architecture() { return architecture; }

    public int channels() { return channels; }

    public int size() { return size; }

    public boolean neighbours() { return neighbours; }

    public List<String> labels() { return labels; }

    public byte[] modelZip() { return modelZip; }

    public int outputs() { return labels.size(); }
}
