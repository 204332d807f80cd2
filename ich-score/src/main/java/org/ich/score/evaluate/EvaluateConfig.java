package org.ich.score.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ich.config.CommonConfig;
import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.score.ScoreConfig;
import org.ich.train.evaluation.EvaluationOptions;

/**
 * Typed, validated settings of {@code ich evaluate} (section {@code ich.evaluate} of conf/application.conf).
 *
 * @param model   "champion" or a version id
 * @param split   valid (chooses the operating points) or test
 * @param targets study-level operating points on p(any): name to target sensitivity, the primary one first
 * @param scoring how the split's unscored slices are scored first
 */
public record EvaluateConfig(CommonConfig common, String model, String split, Map<String, Double> targets,
                             EvaluationOptions options, ScoreConfig scoring) {
    public static final String VALID = "valid";

    public static EvaluateConfig from(Settings s) {
        String model = s.string("ich.evaluate.model").trim();
        if (model.isEmpty()) {
            throw new ConfigError("ich.evaluate.model", "must be \"champion\" or a version id (see `submit/ich models`)");
        }
        String split = ScoreConfig.split(s, "ich.evaluate.split", false);
        if (split.equals("train")) {
            throw new ConfigError("ich.evaluate.split", "must be valid or test: the train split's figures say how well the"
                    + " model fitted, not how well it works");
        }
        return new EvaluateConfig(CommonConfig.from(s), model, split, targets(s, "ich.evaluate.operating-points"),
                new EvaluationOptions(s.integer("ich.evaluate.bins", 2, 100), s.integer("ich.evaluate.bootstrap", 20, 100_000),
                        s.longValue("ich.evaluate.seed", Long.MIN_VALUE, Long.MAX_VALUE)), ScoreConfig.from(s));
    }

    /** {@code name:sensitivity} entries, e.g. {@code sens95:0.95}, in order. */
    static Map<String, Double> targets(Settings s, String key) {
        Map<String, Double> targets = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>(s.strings(key));
        if (entries.isEmpty()) throw new ConfigError(key, "needs at least one name:sensitivity entry, e.g. [\"sens95:0.95\"]");
        for (String entry : entries) {
            String[] parts = entry.split(":", -1);
            double target;
            try {
                target = parts.length == 2 ? Double.parseDouble(parts[1].trim()) : Double.NaN;
            } catch (NumberFormatException e) {
                target = Double.NaN;
            }
            String name = parts[0].trim();
            if (!(target > 0 && target <= 1) || !name.matches("[A-Za-z0-9_-]+")) {
                throw new ConfigError(key, "entry \"" + entry + "\" is not name:sensitivity with a name of letters, digits,"
                        + " _ or - and a sensitivity in (0, 1], e.g. sens95:0.95");
            }
            if (targets.put(name, target) != null) throw new ConfigError(key, "names operating point " + name + " twice");
        }
        return targets;
    }

    public boolean choosesOperatingPoints() {
        return VALID.equals(split);
    }

    /** The same evaluation of another version on another split (what training runs before promotion). */
    public EvaluateConfig of(String version, String onSplit) {
        return new EvaluateConfig(common, version, onSplit, targets, options, scoring);
    }
}
