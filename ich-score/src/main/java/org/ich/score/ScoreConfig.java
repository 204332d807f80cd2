package org.ich.score;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import org.ich.config.CommonConfig;
import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.train.model.Tta;

/**
 * Typed, validated settings of {@code ich score} (section {@code ich.score} of conf/application.conf).
 *
 * @param model     "champion", or a model version id
 * @param input     raw DICOM to ingest and score, or null to score rows of the slices table
 * @param select    which slices to score
 * @param tta       test-time views averaged per slice, at least one
 * @param batchSize slices per network call
 * @param partitions Spark partitions of the slices to score, 0 = as read
 * @param threshold probability above which study_predictions counts a slice as positive
 * @param split     only slices of this split (train, valid, test), or "" for all
 */
public record ScoreConfig(CommonConfig common, String model, URI input, Select select, List<Tta> tta, int batchSize,
                          int partitions, double threshold, String split) {
    public static final List<String> SPLITS = List.of("train", "valid", "test");

    public static final String CHAMPION = "champion";

    public enum Select {
        /** Slices this model version has not scored yet: a rerun scores nothing again. */
        UNSCORED,
        /** Every selected slice, replacing this version's earlier rows for them. */
        ALL
    }

    public static ScoreConfig from(Settings s) {
        String model = s.string("ich.score.model").trim();
        if (model.isEmpty()) throw new ConfigError("ich.score.model", "must be \"champion\" or a version id (see `submit/ich models`)");
        return new ScoreConfig(CommonConfig.from(s), model, s.optionalStorageUri("ich.score.input"), s.choice("ich.score.select", Select.class), Tta.read(s, "ich.score.tta"),
                s.integer("ich.score.batch-size", 1, 4096), s.integer("ich.score.partitions", 0, 1_000_000),
                s.number("ich.score.threshold", 0, 1), split(s, "ich.score.split", true));
    }

    /** A split name of the slices table's {@code split} column; "" (all) only where {@code allowAll}. */
    public static String split(Settings s, String key, boolean allowAll) {
        String split = s.string(key).trim().toLowerCase(Locale.ROOT);
        if ((split.isEmpty() && allowAll) || SPLITS.contains(split)) return split;
        throw new ConfigError(key, "must be one of " + String.join(", ", SPLITS) + (allowAll ? " or \"\" (all)" : "")
                + ", got \"" + s.string(key) + "\"");
    }

    public boolean champion() {
        return CHAMPION.equals(model);
    }

    /** The nightly run's scoring: the champion scores the slices it has not scored yet (the run's ETL did the ingest). */
    public ScoreConfig unscoredByChampion() {
        return new ScoreConfig(common, CHAMPION, null, Select.UNSCORED, tta, batchSize, partitions, threshold, "");
    }

    /** Evaluation's scoring: {@code model} scores the slices of {@code split} it has not scored yet. */
    public ScoreConfig unscoredIn(String model, String split) {
        return new ScoreConfig(common, model, null, Select.UNSCORED, tta, batchSize, partitions, threshold, split);
    }
}
