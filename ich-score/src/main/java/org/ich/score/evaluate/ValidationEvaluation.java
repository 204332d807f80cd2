package org.ich.score.evaluate;

import java.io.PrintStream;

import org.apache.spark.sql.SparkSession;
import org.ich.config.Settings;
import org.ich.train.job.VersionEvaluation;
import org.ich.train.registry.ModelRegistry;

/**
 * What {@code ich train} runs on a completed version before promotion (registered in META-INF/services): {@code ich
 * evaluate} on the valid split, which stores the operating points that promotion compares.
 */
public final class ValidationEvaluation implements VersionEvaluation.Factory {
    @Override
    public VersionEvaluation create(SparkSession spark, Settings settings, ModelRegistry registry, PrintStream out) {
        EvaluateConfig cfg = EvaluateConfig.from(settings);
        return (version, complete) -> new EvaluateJob(spark, cfg.of(version.id(), EvaluateConfig.VALID), registry, out)
                .run().manifest();
    }
}
