package org.ich.train.job;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ServiceLoader;

import org.apache.spark.sql.SparkSession;
import org.ich.config.Settings;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;

/**
 * What runs between a version's completion and the registry's promotion decision: {@code ich evaluate} on the
 * validation split, which chooses the version's study-level operating points, so that promotion can compare
 * sensitivities. Evaluation scores whole studies (both stages), which is {@code ich-score}'s code; it registers its
 * {@link Factory} in {@code META-INF/services}, so {@code ich train} from the jobs jar evaluates and a bare ich-train
 * (its own tests) promotes on loss alone.
 */
public interface VersionEvaluation {
    /** Promotion on loss alone: the manifest as it is. */
    VersionEvaluation NONE = (version, complete) -> complete;

    /** The completed manifest with what the evaluation adds (its operating points). */
    Manifest evaluate(ModelVersion version, Manifest complete) throws IOException;

    /** Builds the installed evaluation for a job's settings. */
    interface Factory {
        VersionEvaluation create(SparkSession spark, Settings settings, ModelRegistry registry, PrintStream out);
    }

    /** The evaluation on the classpath, or {@link #NONE}. */
    static VersionEvaluation installed(SparkSession spark, Settings settings, ModelRegistry registry, PrintStream out) {
        return ServiceLoader.load(Factory.class).findFirst().map(f -> f.create(spark, settings, registry, out)).orElse(NONE);
    }
}
