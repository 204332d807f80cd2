package org.ich.pipeline;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.ich.config.CommonConfig;
import org.ich.etl.EtlConfig;
import org.ich.score.ScoreConfig;
import org.ich.score.evaluate.EvaluateConfig;
import org.ich.train.job.TrainConfig;
import org.ich.config.ConfigError;
import org.ich.config.Settings;

/**
 * Typed, validated settings of {@code ich pipeline} (section {@code ich.pipeline} of conf/application.conf).
 *
 * @param runs      folder of the JSON run summaries and of the lock file
 * @param train     when the nightly run trains a new model version
 * @param warmStart start training from the champion's weights when it is the same network
 * @param lockStale a lock whose holder has not renewed it for this long belongs to a killed run and is taken over
 * @param etl       the ETL step
 * @param training  the training step, before any warm start (see {@link TrainConfig#withInitModel})
 * @param scoring   the scoring step, as configured ({@link ScoreConfig#unscoredByChampion} is what the run scores)
 * @param evaluation the evaluation of a new version on the valid split, before its promotion
 */
public record PipelineConfig(CommonConfig common, URI runs, TrainWhen train, boolean warmStart, Duration lockStale,
                             EtlConfig etl, TrainConfig training, ScoreConfig scoring, EvaluateConfig evaluation) {

    public enum TrainWhen {
        /** The slices table changed since the newest model version was trained, or a killed training awaits resuming. */
        NEW_DATA,
        ALWAYS,
        NEVER
    }

    public static PipelineConfig from(Settings s) {
        TrainWhen when = s.choice("ich.pipeline.train", TrainWhen.class);
        // Every step's settings are read here, before anything starts: a typo fails the run in a second, not at 3 am
        // after the ETL.
        return new PipelineConfig(CommonConfig.from(s), s.storageUri("ich.pipeline.runs"), when,
                s.bool("ich.pipeline.warm-start"), Duration.ofSeconds(s.integer("ich.pipeline.lock-stale-seconds", 30, 7 * 86400)),
                EtlConfig.from(s), TrainConfig.from(s), ScoreConfig.from(s), EvaluateConfig.from(s));
    }
}
