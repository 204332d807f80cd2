package org.ich.train.job;

import java.util.Locale;

import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.ich.config.ConfigError;
import org.ich.config.Settings;

/**
 * How DL4J spreads training over the executors (keys under {@code ich.train}).
 *
 * @param workers            parallel model replicas; 0 = Spark's default parallelism (one per executor core)
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param workerPrefetch     minibatches each worker decodes ahead of the one it fits
 * @param storageLevel       how the epoch's minibatch RDD is persisted between DL4J's passes (null = not)
 * @param approach           EXPORT writes each epoch's minibatches to {@code exportDir} and trains from the
 *                           files, DIRECT trains from the persisted RDD
 * @param exportDir          where EXPORT writes (null = {hadoop.tmp.dir}/dl4j); on a cluster a shared file system
 */
public record DistributedConfig(int workers, int averagingFrequency, int workerPrefetch, StorageLevel storageLevel,
                                Repartition repartition, RepartitionStrategy repartitionStrategy,
                                RDDTrainingApproach approach, String exportDir) {

    public static DistributedConfig from(Settings s) {
        String master = s.string("ich.train.master").trim().toLowerCase(Locale.ROOT);
        if (!master.equals("averaging")) {
            throw new ConfigError("ich.train.master", "must be averaging (synchronous parameter averaging; gradient"
                    + " sharing is not in this build), got " + master);
        }
        String exportDir = s.optionalString("ich.train.export-dir");
        return new DistributedConfig(s.integer("ich.train.workers", 0, 100_000),
                s.integer("ich.train.averaging-frequency", 1, 100_000),
                s.integer("ich.train.worker-prefetch", 0, 1_000),
                storageLevel(s), repartition(s), strategy(s), approach(s),
                exportDir == null ? null : s.storageUri("ich.train.export-dir").toString());
    }

    private static StorageLevel storageLevel(Settings s) {
        String key = "ich.train.storage-level";
        String value = s.string(key).trim().toUpperCase(Locale.ROOT);
        if (value.equals("NONE")) {
            return null;
        }
        try {
            return StorageLevel.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(key, "must be NONE or a Spark storage level such as MEMORY_ONLY_SER or"
                    + " MEMORY_AND_DISK_SER, got " + value);
        }
    }

    private static Repartition repartition(Settings s) {
        String key = "ich.train.repartition";
        return switch (s.string(key).trim().toLowerCase(Locale.ROOT)) {
            case "always" -> Repartition.Always;
            case "never" -> Repartition.Never;
            case "when-workers-differ" -> Repartition.NumPartitionsWorkersDiffers;
            default -> throw new ConfigError(key, "must be always, never or when-workers-differ, got " + s.string(key));
        };
    }

    private static RepartitionStrategy strategy(Settings s) {
        String key = "ich.train.repartition-strategy";
        return switch (s.string(key).trim().toLowerCase(Locale.ROOT)) {
            case "balanced" -> RepartitionStrategy.Balanced;
            case "spark-default" -> RepartitionStrategy.SparkDefault;
            default -> throw new ConfigError(key, "must be balanced or spark-default, got " + s.string(key));
        };
    }

    private static RDDTrainingApproach approach(Settings s) {
        String key = "ich.train.rdd-approach";
        return switch (s.string(key).trim().toLowerCase(Locale.ROOT)) {
            case "export" -> RDDTrainingApproach.Export;
            case "direct" -> RDDTrainingApproach.Direct;
            default -> throw new ConfigError(key, "must be export or direct, got " + s.string(key));
        };
    }
}
