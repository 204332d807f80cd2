package org.ich.score.ml;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.SparkSession;
import org.ich.score.ModelChoice;
import org.ich.score.ScoringModel;
import org.ich.spark.Storage;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.RegistryJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a {@link HemorrhageModel} lives on storage (any Hadoop file system the session reaches): a model registry's
 * version folder ({@code <root>/versions/<id>}, read only), or the folder {@link HemorrhageModel#save} writes in Spark
 * ML's layout: {@code metadata/part-00000} (one JSON line: class, uid, Spark version, params, and the model's input)
 * and {@code model.zip} (the network without its updater state). The metadata is written last, so a folder whose save
 * was interrupted has none and is refused on load.
 */
final class ModelFolder {
    private static final String METADATA = "metadata";
    private static final String METADATA_FILE = "part-00000";

    private ModelFolder() {
    }

    static HemorrhageModel read(SparkSession spark, String path) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        URI dir = URI.create(withoutTrailingSlash(path));
        if (exists(storage, Storage.child(dir, ModelVersion.MANIFEST))) return new HemorrhageModel(fromRegistry(storage, dir));
        URI metadata = Storage.child(Storage.child(dir, METADATA), METADATA_FILE);
        if (!exists(storage, metadata)) {
            throw new IllegalArgumentException("no ich model at " + path + ": neither a registry version folder (with "
                    + ModelVersion.MANIFEST + ") nor a folder HemorrhageModel.save wrote (with " + METADATA + "/)");
        }
        JsonNode meta = RegistryJson.tree(new String(readAll(storage, metadata), StandardCharsets.UTF_8));
        if (!HemorrhageModel.class.getName().equals(meta.path("class").asText())) {
            throw new IllegalArgumentException(path + " holds a " + meta.path("class").asText() + ", not a "
                    + HemorrhageModel.class.getName());
        }
        JsonNode ich = meta.path("ich");
        List<String> labels = new ArrayList<>();
        ich.path("labels").forEach(l -> labels.add(l.asText()));
        ScoringModel scoring = new ScoringModel(ich.path("version").asText(),
                ich.path("architecture").isNull() ? null : ich.path("architecture").asText(), ich.path("channels").asInt(),
                ich.path("size").asInt(), ich.path("neighbours").asBoolean(), labels,
                readAll(storage, Storage.child(dir, ModelVersion.MODEL_ZIP)));
        HemorrhageModel model = new HemorrhageModel(meta.path("uid").asText(), scoring);
        meta.path("paramMap").fields().forEachRemaining(e -> {
            Param<Object> param = model.getParam(e.getKey());
            model.set(param, param.jsonDecode(e.getValue().toString()));
        });
        return model;
    }

    /** The version folder {@code .../versions/<id>} of the registry rooted two levels up. */
    private static ScoringModel fromRegistry(Storage storage, URI dir) {
        String s = dir.toString();
        int id = s.lastIndexOf('/');
        int versions = s.lastIndexOf('/', id - 1);
        if (id < 0 || versions < 0 || !s.substring(versions + 1, id).equals("versions")) {
            throw new IllegalArgumentException(dir + " has a " + ModelVersion.MANIFEST + " but is not a registry's "
                    + "versions/<id> folder");
        }
        return ModelChoice.resolve(new ModelRegistry(storage, URI.create(s.substring(0, versions))), s.substring(id + 1));
    }

    static void write(SparkSession spark, HemorrhageModel model, String path) {
        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        URI dir = URI.create(withoutTrailingSlash(path));
        ScoringModel scoring = model.scoringModel();
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode meta = json.objectNode();
        meta.put("class", HemorrhageModel.class.getName());
        meta.put("timestamp", System.currentTimeMillis());
        meta.put("sparkVersion", spark.version());
        meta.put("uid", model.uid());
        meta.set("paramMap", params(model.extractParamMap().toList(), model, true));
        meta.set("defaultParamMap", params(model.extractParamMap().toList(), model, false));
        ObjectNode ich = meta.putObject("ich");
        ich.put("version", scoring.version());
        ich.put("architecture", scoring.architecture());
        ich.put("channels", scoring.channels());
        ich.put("size", scoring.size());
        ich.put("neighbours", scoring.neighbours());
        scoring.labels().forEach(ich.putArray("labels")::add);
        write(storage, Storage.child(dir, ModelVersion.MODEL_ZIP), scoring.modelZip());
        write(storage, Storage.child(Storage.child(dir, METADATA), METADATA_FILE),
                (meta.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The params set explicitly ({@code explicit}), or those left at their defaults. */
    private static ObjectNode params(List<ParamPair<?>> pairs, HemorrhageModel model, boolean explicit) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (ParamPair<?> pair : pairs) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) pair.param();
            if (model.isSet(param) == explicit) out.set(param.name(), RegistryJson.tree(param.jsonEncode(pair.value())));
        }
        return out;
    }

    private static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static boolean exists(Storage storage, URI file) {
        try {
            return storage.fs(file).exists(new Path(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Storage storage, URI file) {
        try {
            return storage.readAll(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Storage storage, URI file, byte[] bytes) {
        try (OutputStream out = storage.create(file)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
