package org.ich.train.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.model.StoredModelZip;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.VersionFolder;

/**
 * A version's checkpoints: after each epoch {@code epoch-NNNN.zip} ({@link StoredModelZip}, with the optimiser
 * state, so Adam's moments and the schedule's position survive) and then {@code epoch-NNNN.json}. The
 * JSON is written last, so its presence marks a complete checkpoint; a run killed while writing the zip
 * resumes from the one before. Both go through the registry's {@link VersionFolder}, each replaced atomically (an
 * epoch redone after a kill rewrites its files).
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

    private final VersionFolder folder;

    Checkpoints(VersionFolder folder) {
        this.folder = folder;
    }

    void write(ComputationGraph model, State state) throws IOException {
        folder.replace(zip(state.epoch()), out -> StoredModelZip.write(model, out, true));
        folder.replace(json(state.epoch()), JSON.writeValueAsBytes(state));
    }

    /** The newest complete checkpoint, with its network and optimiser state restored. */
    Optional<Restored> latest() throws IOException {
        List<String> names = folder.files(ModelVersion.CHECKPOINTS);
        int newest = 0;
        for (String name : names) {
            Matcher m = STATE.matcher(name);
            if (m.matches() && names.contains(file(zip(Integer.parseInt(m.group(1)))))) {
                newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
        }
        if (newest == 0) {
            return Optional.empty();
        }
        State state = JSON.readValue(folder.read(json(newest)).orElseThrow(), State.class);
        NativeHelpers.enable();
        try (InputStream in = folder.open(zip(newest))) {
            // Checkpoints written before ResNets.Tuning.DEFAULT cached the convolutions' forward pass get it too.
            return Optional.of(new Restored(state, ResNets.tune(ModelSerializer.restoreComputationGraph(in, true))));
        }
    }

    /** Paths in the version folder. */
    static String zip(int epoch) {
        return ModelVersion.CHECKPOINTS + "/" + String.format("epoch-%04d.zip", epoch);
    }

    static String json(int epoch) {
        return ModelVersion.CHECKPOINTS + "/" + String.format("epoch-%04d.json", epoch);
    }

    private static String file(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
