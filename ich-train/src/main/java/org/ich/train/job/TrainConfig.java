package org.ich.train.job;

import java.net.URI;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ich.config.CommonConfig;
import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.train.data.DataConfig;
import org.ich.train.model.Architecture;
import org.ich.train.model.Head;
import org.ich.train.recipe.RecipeConfig;
import org.ich.train.registry.ConfigSnapshot;
import org.ich.train.sequence.SequenceConfig;

/**
 * Typed, validated settings of {@code ich train} (section {@code ich.train} of conf/application.conf).
 *
 * @param pretrained a ModelSerializer zip to start from (e.g. an ImageNet ResNet-50), or null for random weights
 * @param initModel  a model.zip of this very network (e.g. the champion's) to continue from unchanged, or null
 * @param snapshot   the whole merged configuration as JSON, secrets redacted, for the manifest
 * @param stopAfterEpochs end the process after this many epochs of this run, leaving the version RUNNING
 *                        for a later resume (0 = run to the end); for tests and time-boxed jobs; the context stage's
 *                        epochs count too
 * @param sequence   the context stage trained after the slice stage
 */
public record TrainConfig(CommonConfig common, String architecture, Head head, URI pretrained, URI initModel, DataConfig data,
                          RecipeConfig recipe, DistributedConfig distributed, SequenceConfig sequence, boolean resume,
                          int stopAfterEpochs, JsonNode snapshot) {

    public static TrainConfig from(Settings s) {
        String architecture = s.string("ich.train.architecture");
        try {
            Architecture.of(architecture);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("ich.train.architecture", e.getMessage());
        }
        Head head = s.choice("ich.train.head", Head.class);
        URI pretrained = s.optionalStorageUri("ich.train.pretrained"), initModel = s.optionalStorageUri("ich.train.init-model");
        if (pretrained != null && initModel != null) {
            throw new ConfigError("ich.train.init-model", "set either ich.train.pretrained (a network to adapt) or"
                    + " ich.train.init-model (this network's weights to continue from), not both");
        }
        return new TrainConfig(CommonConfig.from(s), architecture, head, pretrained, initModel, DataConfig.from(s), RecipeConfig.from(s), DistributedConfig.from(s),
                SequenceConfig.from(s), s.bool("ich.train.resume"),
                s.integer("ich.train.stop-after-epochs", 0, 10_000), ConfigSnapshot.of(s.config()));
    }

    /**
     * This configuration continuing from the weights at {@code model} (e.g. the champion's model.zip), as a step that
     * warm-starts training derives it; the snapshot the manifest keeps says so too.
     */
    public TrainConfig withInitModel(URI model) {
        if (pretrained != null) {
            throw new IllegalArgumentException("a configuration that adapts ich.train.pretrained cannot also continue from " + model);
        }
        JsonNode copy = snapshot.deepCopy();
        if (copy.path("train") instanceof ObjectNode train) {
            train.put("init-model", model.toString());
        }
        return new TrainConfig(common, architecture, head, null, model, data, recipe, distributed, sequence, resume,
                stopAfterEpochs, copy);
    }
}
