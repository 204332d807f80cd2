package org.ich.train.sequence.job;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

import org.deeplearning4j.util.ModelSerializer;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.SlicePredictor;

/**
 * What the executors need of a version's slice network to embed slices, small enough to broadcast. A class, not a
 * record: Spark's Kryo, which serializes broadcasts, cannot build records.
 */
public final class SliceStage implements Serializable {
    private static final Object LOCK = new Object();
    /** The JVM's slice network, and which one it is; another network replaces it. */
    private static String loadedNetwork;
    private static SlicePredictor.Prepared loaded;

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

    /**
     * This network as an executor runs it (channels-last when ich built it), rebuilt once per JVM and shared by its
     * tasks: executors are other JVMs, and rebuilding per task would cost a network's worth of time and memory each.
     */
    public SlicePredictor.Prepared prepared() {
        synchronized (LOCK) {
            if (!network.equals(loadedNetwork)) {
                // The helper switch is per JVM and read when layers are built.
                NativeHelpers.enable();
                try {
                    loaded = SlicePredictor.prepare(
                            ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(modelZip), false),
                            architecture, channels, size, outputs);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot rebuild the slice network of " + version + " on this executor", e);
                }
                loadedNetwork = network;
            }
            return loaded;
        }
    }
}
