package org.ich.score.export;

import java.net.URI;

import org.ich.config.CommonConfig;
import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.score.ScoreConfig;

/**
 * Typed, validated settings of {@code ich export} (section {@code ich.export} of conf/application.conf).
 *
 * @param model "champion" or a version id
 * @param out   the CSV written
 * @param split only slices of this split, or "" for every slice the model scored
 */
public record ExportConfig(CommonConfig common, String model, URI out, String split) {
    public static ExportConfig from(Settings s) {
        String model = s.string("ich.export.model").trim();
        if (model.isEmpty()) throw new ConfigError("ich.export.model", "must be \"champion\" or a version id (see `submit/ich models`)");
        return new ExportConfig(CommonConfig.from(s), model, s.storageUri("ich.export.out"),
                ScoreConfig.split(s, "ich.export.split", true));
    }
}
