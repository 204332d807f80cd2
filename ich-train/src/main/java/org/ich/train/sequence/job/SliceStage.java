package org.ich.train.sequence.job;

import java.io.Serializable;

/**
 * What the executors need of a version's slice network to embed slices, small enough to broadcast. A class, not a
 * record: Spark's Kryo, which serializes broadcasts, cannot build records.
 */
public final class SliceStage implements Serializable {
    private final String version;
    private final String architecture;
    private final int channels;
    private final int size;
    private final int outputs;
    private final boolean neighbours;
    private final byte[] modelZip;

    /** @param architecture the network ich built, or null for one of another shape (run as it is, channels-first) */
    public SliceStage(String version, String architecture, int channels, int size, int outputs, boolean neighbours,
                      byte[] modelZip) {
        this.version = version;
        this.architecture = architecture;
        this.channels = channels;
        this.size = size;
        this.outputs = outputs;
        this.neighbours = neighbours;
        this.modelZip = modelZip;
    }

    public String version() { return version; }

    public String architecture() { return architecture; }

    public int channels() { return channels; }

    public int size() { return size; }

    public int outputs() { return outputs; }

    public boolean neighbours() { return neighbours; }

    public byte[] modelZip() { return modelZip; }
}
