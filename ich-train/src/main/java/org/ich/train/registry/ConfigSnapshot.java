package org.ich.train.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The merged {@code ich} configuration of a run as JSON, for {@link Manifest#trainingConfig()}. Secrets belong in the
 * environment, never in the config; a value whose key still looks like one (e.g. a hand-added
 * {@code spark.hadoop.fs.s3a.secret.key}) is replaced by "(redacted)" so a manifest never carries it.
 */
public final class ConfigSnapshot {
    static final String REDACTED = "(redacted)";
    /** Key names that hold credentials; "...-env" keys name an environment variable and are harmless. */
    private static final Pattern SECRET = Pattern.compile(".*(secret|password|passwd|token|credential|access[._-]?key|private[._-]?key).*");

    private ConfigSnapshot() {}

    public static JsonNode of(Config config) {
        Config ich = config.hasPath("ich") ? config.getConfig("ich") : config;
        JsonNode tree = RegistryJson.tree(ich.root().render(ConfigRenderOptions.concise()));
        redact(tree);
        return tree;
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (secretKey(e.getKey()) && !e.getValue().isContainerNode()) e.setValue(TextNode.valueOf(REDACTED));
                else redact(e.getValue());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ConfigSnapshot::redact);
        }
    }

    static boolean secretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return !k.endsWith("-env") && SECRET.matcher(k).matches();
    }
}
