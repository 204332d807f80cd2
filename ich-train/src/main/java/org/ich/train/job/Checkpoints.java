package org.ich.train.job;

import java.io.IOException;
import java.util.Optional;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.model.ResNets;
import org.ich.train.registry.VersionFolder;

/** The slice stage's checkpoints, {@code checkpoints/epoch-NNNN.zip} and {@code .json} ({@link EpochCheckpoints}). */
final class Checkpoints {

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

    private final EpochCheckpoints<State> files;

    Checkpoints(VersionFolder folder) {
        this.files = new EpochCheckpoints<>(folder, "epoch-", State.class);
    }

    void write(ComputationGraph model, State state) throws IOException {
        files.write(model, state.epoch(), state);
    }

    /** The newest complete checkpoint, with its network and optimiser state restored. */
    Optional<Restored> latest() throws IOException {
        // Checkpoints written before ResNets.Tuning.DEFAULT cached the convolutions' forward pass get it too.
        return files.latest().map(r -> new Restored(r.state(), ResNets.tune(r.model())));
    }
}
