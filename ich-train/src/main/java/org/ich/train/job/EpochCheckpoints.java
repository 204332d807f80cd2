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
import org.ich.train.model.StoredModelZip;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.VersionFolder;

/**
 * One stage's checkpoints in a version folder: after each epoch {@code <prefix>NNNN.zip} ({@link StoredModelZip}, with
 * the optimiser state, so Adam's moments and the schedule's position survive) and then {@code <prefix>NNNN.json}, the
 * stage's own state. The JSON is written last, so its presence marks a complete checkpoint; a run killed while
 * writing the zip resumes from the one before. Both go through the registry's {@link VersionFolder}, each replaced
 * atomically (an epoch redone after a kill rewrites its files).
 *
 * @param <S> what the stage records of where it stands (a record Jackson reads and writes)
 */
final class EpochCheckpoints<S> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Restored<S>(S state, ComputationGraph model) {
    }

    private final VersionFolder folder;
    private final String prefix;
    private final Class<S> type;
    private final Pattern stateFile;

    EpochCheckpoints(VersionFolder folder, String prefix, Class<S> type) {
        this.folder = folder;
        this.prefix = prefix;
        this.type = type;
        this.stateFile = Pattern.compile(Pattern.quote(prefix) + "(\\d{4,})\\.json");
    }

    /** @param epoch epochs finished (1-based index of the last one) */
    void write(ComputationGraph model, int epoch, S state) throws IOException {
        folder.replace(zip(epoch), out -> StoredModelZip.write(model, out, true));
        folder.replace(json(epoch), JSON.writeValueAsBytes(state));
    }

    /** The newest complete checkpoint, with its network and optimiser state restored. */
    Optional<Restored<S>> latest() throws IOException {
        List<String> names = folder.files(ModelVersion.CHECKPOINTS);
        int newest = 0;
        for (String name : names) {
            Matcher m = stateFile.matcher(name);
            if (m.matches() && names.contains(file(zip(Integer.parseInt(m.group(1)))))) {
                newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
        }
        if (newest == 0) {
            return Optional.empty();
        }
        S state = JSON.readValue(folder.read(json(newest)).orElseThrow(), type);
        NativeHelpers.enable();
        try (InputStream in = folder.open(zip(newest))) {
            return Optional.of(new Restored<>(state, ModelSerializer.restoreComputationGraph(in, true)));
        }
    }

    /** Paths in the version folder. */
    String zip(int epoch) {
        return ModelVersion.CHECKPOINTS + "/" + prefix + String.format("%04d.zip", epoch);
    }

    String json(int epoch) {
        return ModelVersion.CHECKPOINTS + "/" + prefix + String.format("%04d.json", epoch);
    }

    private static String file(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
