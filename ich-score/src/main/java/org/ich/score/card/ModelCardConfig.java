package org.ich.score.card;

import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.score.evaluate.EvaluateConfig;

/**
 * Typed, validated settings of {@code ich model-card} (section {@code ich.model-card} of conf/application.conf).
 *
 * @param model      "champion" or a version id
 * @param evaluation how a version not yet evaluated on valid is evaluated first
 */
public record ModelCardConfig(String model, EvaluateConfig evaluation) {
    public static ModelCardConfig from(Settings s) {
        String model = s.string("ich.model-card.model").trim();
        if (model.isEmpty()) throw new ConfigError("ich.model-card.model", "must be \"champion\" or a version id (see `submit/ich models`)");
        return new ModelCardConfig(model, EvaluateConfig.from(s));
    }
}
