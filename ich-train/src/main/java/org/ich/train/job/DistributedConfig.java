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
 * @param master             parameter averaging, or gradient sharing (see {@link Master})
 * @param workers            model replicas: in all for averaging, per executor for sharing; 0 = the default
 *                           (see {@link EpochTrainer#replicas})
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param storageLevel       how the epoch's minibatch RDD is persisted between DL4J's passes (null = not)
 * @param approach           EXPORT writes each epoch's minibatches to {@code exportDir} and trains from the
 *                           files, DIRECT trains from the persisted RDD
 * @param exportDir          where EXPORT writes (null = {hadoop.tmp.dir}/dl4j); on a cluster a shared file system
 * @param sharing            gradient sharing's transport and encoding (SHARING only)
 */
public record DistributedConfig(Master master, int workers, int averagingFrequency, StorageLevel storageLevel,
                                Repartition repartition, RepartitionStrategy repartitionStrategy,
                                RDDTrainingApproach approach, String exportDir, Sharing sharing) {

    /**
     * AVERAGING: each worker fits a few minibatches alone, then the driver averages the replicas; simple, no
     * traffic but Spark's, robust to slow networks, yet every round waits for the slowest worker. SHARING:
     * workers exchange threshold-encoded gradient updates over UDP (Aeron) as they go, the approach DL4J
     * recommends for most clusters: faster and closer to single-machine training, but it needs an open UDP
     * port and a network where the executors reach each other and the driver.
     */
    public enum Master {
        AVERAGING,
        SHARING
    }

    /**
     * @param port        UDP port of the gradient-sharing transport, on the driver and every executor
     * @param controller  address of the driver as the executors reach it (null = spark.driver.host)
     * @param networkMask network the transport binds to on machines with several (null = the controller's)
     * @param threshold   initial threshold of DL4J's adaptive update encoding
     */
    public record Sharing(int port, String controller, String networkMask, double threshold) {
    }

    /** ich.train.repartition, as the config spells DL4J's choices. */
    enum RepartitionWhen {
        ALWAYS(Repartition.Always),
        NEVER(Repartition.Never),
        WHEN_WORKERS_DIFFER(Repartition.NumPartitionsWorkersDiffers);

        final Repartition dl4j;

        RepartitionWhen(Repartition dl4j) {
            this.dl4j = dl4j;
        }
    }

    /** ich.train.repartition-strategy. */
    enum Strategy {
        BALANCED(RepartitionStrategy.Balanced),
        SPARK_DEFAULT(RepartitionStrategy.SparkDefault);

        final RepartitionStrategy dl4j;

        Strategy(RepartitionStrategy dl4j) {
            this.dl4j = dl4j;
        }
    }

    /** ich.train.rdd-approach. */
    enum Approach {
        EXPORT(RDDTrainingApproach.Export),
        DIRECT(RDDTrainingApproach.Direct);

        final RDDTrainingApproach dl4j;

        Approach(RDDTrainingApproach dl4j) {
            this.dl4j = dl4j;
        }
    }

    public static DistributedConfig from(Settings s) {
        Master master = s.choice("ich.train.master", Master.class);
        String exportDir = s.optionalString("ich.train.export-dir");
        return new DistributedConfig(master, s.integer("ich.train.workers", 0, 100_000),
                s.integer("ich.train.averaging-frequency", 1, 100_000),
                storageLevel(s), s.choice("ich.train.repartition", RepartitionWhen.class).dl4j,
                s.choice("ich.train.repartition-strategy", Strategy.class).dl4j,
                s.choice("ich.train.rdd-approach", Approach.class).dl4j,
                exportDir == null ? null : s.storageUri("ich.train.export-dir").toString(),
                new Sharing(s.integer("ich.train.sharing.port", 1024, 65535),
                        s.optionalString("ich.train.sharing.controller"),
                        s.optionalString("ich.train.sharing.network-mask"),
                        s.number("ich.train.sharing.threshold", 1e-9, 1)));
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
}
