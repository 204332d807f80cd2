package org.ich.train.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.VersionFolder;

/**
 * The version's metrics.json: {@code {"version": id, "epochs": [ {...}, ... ]}}, one object per finished
 * epoch, replaced whole and atomically after each (the file is small), so a reader never sees half an entry. A resumed
 * run appends to what the killed one wrote.
 */
final class MetricsLog {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final VersionFolder folder;
    private final String path;
    private final List<Map<String, Object>> epochs;

    private MetricsLog(VersionFolder folder, String path, List<Map<String, Object>> epochs) {
        this.folder = folder;
        this.path = path;
        this.epochs = epochs;
    }

    /** @param keepBefore epochs (1-based) below this are kept from an earlier run; later ones are redone */
    static MetricsLog open(VersionFolder folder, int keepBefore) throws IOException {
        return open(folder, ModelVersion.METRICS, keepBefore);
    }

    /** The same kind of log at {@code path} in the version folder (the context stage keeps its own). */
    static MetricsLog open(VersionFolder folder, String path, int keepBefore) throws IOException {
        List<Map<String, Object>> epochs = new ArrayList<>();
        Optional<byte[]> written = folder.read(path);
        if (written.isPresent()) {
            Map<String, Object> existing = JSON.readValue(written.get(), new TypeReference<>() { });
            Object list = existing.get("epochs");
            if (list instanceof List<?> entries) {
                for (Object entry : entries) {
                    if (entry instanceof Map<?, ?> map && map.get("epoch") instanceof Number n && n.intValue() < keepBefore) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> typed = (Map<String, Object>) map;
                        epochs.add(typed);
                    }
                }
            }
        }
        return new MetricsLog(folder, path, epochs);
    }

    void append(EpochMetrics metrics) throws IOException {
        append(metrics.toJson());
    }

    void append(Map<String, Object> epoch) throws IOException {
        epochs.add(epoch);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", folder.version().id());
        root.put("epochs", epochs);
        folder.replace(path, JSON.writeValueAsBytes(root));
    }

    List<Map<String, Object>> epochs() {
        return List.copyOf(epochs);
    }
}
