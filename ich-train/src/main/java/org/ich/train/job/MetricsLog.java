package org.ich.train.job;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.Path;
import org.ich.spark.Storage;

/**
 * The version's metrics.json: {@code {"version": id, "epochs": [ {...}, ... ]}}, one object per finished
 * epoch, rewritten whole after each (the file is small) so a reader never sees half an entry. A resumed
 * run appends to what the killed one wrote.
 */
final class MetricsLog {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Storage storage;
    private final URI uri;
    private final String version;
    private final List<Map<String, Object>> epochs;

    private MetricsLog(Storage storage, URI uri, String version, List<Map<String, Object>> epochs) {
        this.storage = storage;
        this.uri = uri;
        this.version = version;
        this.epochs = epochs;
    }

    /** @param keepBefore epochs (1-based) below this are kept from an earlier run; later ones are redone */
    static MetricsLog open(Storage storage, URI uri, String version, int keepBefore) throws IOException {
        List<Map<String, Object>> epochs = new ArrayList<>();
        if (storage.fs(uri).exists(new Path(uri))) {
            Map<String, Object> existing = JSON.readValue(storage.readAll(uri), new TypeReference<>() { });
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
        return new MetricsLog(storage, uri, version, epochs);
    }

    void append(EpochMetrics metrics) throws IOException {
        epochs.add(metrics.toJson());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", version);
        root.put("epochs", epochs);
        try (OutputStream out = storage.create(uri)) {
            JSON.writeValue(out, root);
        }
    }

    List<Map<String, Object>> epochs() {
        return List.copyOf(epochs);
    }
}
