package org.ich.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.domain.Labels;
import org.ich.train.model.SlicePredictor;
import org.ich.train.sequence.job.ContextStage;
import org.ich.train.sequence.job.SliceStage;

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
    private final ContextStage context;
    private String operatingPoint;
    private double flagThreshold = Double.NaN;

    /** @param architecture the network ich built ({@code resnet18}, ...), or null for one of another shape */
    public ScoringModel(String version, String architecture, int channels, int size, boolean neighbours, List<String> labels,
                        byte[] modelZip) {
        this(version, architecture, channels, size, neighbours, labels, modelZip, null);
    }

    /** @param context the version's context stage, or null when its slice stage gives the final probabilities */
    public ScoringModel(String version, String architecture, int channels, int size, boolean neighbours, List<String> labels,
                        byte[] modelZip, ContextStage context) {
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
        this.context = context;
    }

    public String version() { return version; }

    public String architecture() { return architecture; }

    public int channels() { return channels; }

    public int size() { return size; }

    public boolean neighbours() { return neighbours; }

    public List<String> labels() { return labels; }

    public byte[] modelZip() { return modelZip; }

    public int outputs() { return labels.size(); }

    /** Flags studies at the version's primary operating point (null name and NaN before it has been evaluated). */
    public ScoringModel flaggingAt(String name, double threshold) {
        ScoringModel m = new ScoringModel(version, architecture, channels, size, neighbours, labels, modelZip, context);
        m.operatingPoint = name;
        m.flagThreshold = threshold;
        return m;
    }

    /** Name of the operating point study_predictions flags at, or null when the version has none. */
    public String operatingPoint() { return operatingPoint; }

    /** Its study-level threshold on p(any), NaN when the version has none. */
    public double flagThreshold() { return flagThreshold; }

    /** The context stage, or null for a version of the slice stage alone. */
    public ContextStage context() { return context; }

    /** The slice network as the context stage's embeddings need it. */
    public SliceStage sliceStage() {
        return new SliceStage(version, architecture, channels, size, outputs(), neighbours, modelZip);
    }

    /** A restored slice network as scoring runs it: channels-last when it is a network ich built. */
    public SlicePredictor.Prepared prepare(ComputationGraph restored) {
        return SlicePredictor.prepare(restored, architecture, channels, size, outputs());
    }
}
