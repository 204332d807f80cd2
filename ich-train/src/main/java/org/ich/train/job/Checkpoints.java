package org.ich.train.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.spark.Storage;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.model.StoredModelZip;

/**
 * A version's checkpoints: after each epoch {@code epoch-NNNN.zip} ({@link StoredModelZip}, with the optimiser
 * state, so Adam's moments and the schedule's position survive) and then {@code epoch-NNNN.json}. The
 * JSON is written last, so its presence marks a complete checkpoint; a run killed while writing the zip
 * resumes from the one before.
 */
final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern STATE = Pattern.compile("epoch-(\\d{4,})\\.json");

    /**
     * Where training stands after an epoch.
     *
     * @param epoch    epochs finished (1-based index of the last one)
     * @param channels input channels of the network, with {@code architecture} and {@code head} what a
     *                 resumed run must match
     */
    record State(int epoch, int epochs, String phase, int size, long iteration, String architecture, String head,
                 int channels, String version) {
    }

    record Restored(State state, ComputationGraph model) {
    }

    private final Storage storage;
    private final URI dir;

    Checkpoints(Storage storage, URI dir) {
        this.storage = storage;
        this.dir = dir;
    }

    void write(ComputationGraph model, State state) throws IOException {
        try (OutputStream out = storage.create(zip(state.epoch()))) {
            StoredModelZip.write(model, out, true);
        }
        try (OutputStream out = storage.create(json(state.epoch()))) {
            JSON.writeValue(out, state);
        }
    }

    /** The newest complete checkpoint, with its network and optimiser state restored. */
    Optional<Restored> latest() throws IOException {
        FileSystem fs = storage.fs(dir);
        Path path = new Path(dir);
        if (!fs.exists(path)) {
            return Optional.empty();
        }
        int newest = 0;
        for (FileStatus file : fs.listStatus(path)) {
            Matcher m = STATE.matcher(file.getPath().getName());
            if (m.matches() && fs.exists(new Path(zip(Integer.parseInt(m.group(1)))))) {
                newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
        }
        if (newest == 0) {
            return Optional.empty();
        }
        State state = JSON.readValue(storage.readAll(json(newest)), State.class);
        NativeHelpers.enable();
        try (InputStream in = storage.open(zip(newest))) {
            // Checkpoints written before ResNets.Tuning.DEFAULT cached the convolutions' forward pass get it too.
            return Optional.of(new Restored(state, ResNets.tune(ModelSerializer.restoreComputationGraph(in, true))));
        }
    }

    URI zip(int epoch) {
        return Storage.child(dir, String.format("epoch-%04d.zip", epoch));
    }

    URI json(int epoch) {
        return Storage.child(dir, String.format("epoch-%04d.json", epoch));
    }
}
