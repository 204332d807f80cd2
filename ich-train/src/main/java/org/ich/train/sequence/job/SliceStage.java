package org.ich.train.sequence.job;

import java.io.Serializable;

/**
 * What the executors need of a version's slice network to embed slices, small enough to broadcast. A class, not a
 * record: Spark's Kryo, which serializes broadcasts, cannot build records.
 */
public final class SliceStage implements Serializable {
    private final String version;
    private final String network;
    private final String architecture;
    private final int channels;
    private final int size;
    private final int outputs;
    private final boolean neighbours;
    private final byte[] modelZip;

    /** @param architecture the network ich built, or null for one of another shape (run as it is, channels-first) */
    public SliceStage(String version, String architecture, int channels, int size, int outputs, boolean neighbours,
                      byte[] modelZip) {
        this(version, version, architecture, channels, size, outputs, neighbours, modelZip);
    }

    /**
     * @param version the registry version the embeddings are stored under
     * @param network which weights these are (the version's own, or one of its out-of-fold networks): executors keep
     *                one network per JVM and rebuild it when this changes
     */
    public SliceStage(String version, String network, String architecture, int channels, int size, int outputs,
                      boolean neighbours, byte[] modelZip) {
        this.version = version;
        this.network = network;
        this.architecture = architecture;
        this.channels = channels;
        this.size = size;
        this.outputs = outputs;
        this.neighbours = neighbours;
        this.modelZip = modelZip;
    }

    public String version() { return version; }

    public String network() { return network; }

    public String architecture() { return architecture; }

    public int channels() { return channels; }

    public int size() { return size; }

    public int outputs() { return outputs; }

    public boolean neighbours() { return neighbours; }

    public byte[] modelZip() { return modelZip; }
}
