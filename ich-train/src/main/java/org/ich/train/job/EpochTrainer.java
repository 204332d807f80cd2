package org.ich.train.job;

import java.io.PrintStream;
import java.time.Duration;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.ich.spark.Progress;
import org.ich.train.data.TrainingData;

/** Fits one epoch on the cluster with DL4J's parameter averaging or gradient sharing, printing progress. */
final class EpochTrainer {

    /**
     * The network after the epoch, the mean training loss of its minibatches, and the minibatches and slices
     * fitted. With averaging, DL4J cuts an epoch into floor(minibatches / (workers x averaging frequency))
     * rounds and each worker fits at most the averaging frequency per round, so up to a round's worth of
     * minibatches sits an epoch out; they differ from epoch to epoch. Gradient sharing fits them all, but its
     * counts are best effort: its workers train on threads of a per-JVM wrapper that can outlive the Spark task
     * whose accumulators they report to, and what they add after that task ends is lost.
     */
    record Fitted(ComputationGraph model, double loss, long batches, long slices, double seconds) {
    }

    private final JavaSparkContext sc;
    private final DistributedConfig config;
    private final int batchSize;
    private final int workers;
    private final PrintStream out;

    EpochTrainer(JavaSparkContext sc, DistributedConfig config, int batchSize, PrintStream out) {
        this.sc = sc;
        this.config = config;
        this.batchSize = batchSize;
        this.workers = replicas(sc, config);
        this.out = out;
    }

    /**
     * Model replicas training at once. Averaging: ich.train.workers in all, or one per executor core. Sharing:
     * ich.train.workers per executor, or DL4J's choice (one per executor on CPUs, with every core in its
     * OpenMP threads).
     */
    static int replicas(JavaSparkContext sc, DistributedConfig config) {
        if (config.master() == DistributedConfig.Master.AVERAGING) {
            return config.workers() > 0 ? config.workers() : sc.defaultParallelism();
        }
        // The block managers are the executors plus, except in local mode, the driver's own.
        int managers = sc.sc().getExecutorMemoryStatus().size();
        int executors = sc.isLocal() ? 1 : Math.max(1, managers - 1);
        return executors * Math.max(1, config.workers());
    }

    int workers() {
        return workers;
    }

    long stepsPerEpoch(long slices) {
        return TrainingMasters.stepsPerEpoch(config, slices, batchSize, workers);
    }

    Fitted fit(ComputationGraph model, TrainingData.Epoch epoch, String label, long seed) {
        // One master per epoch, seeded by the epoch: a resumed run then splits its epochs as the uninterrupted run
        // would. (Kept for the run, a sharing master went on reporting to the first epoch's listeners, and its
        // epochs took no less time: measured.)
        @SuppressWarnings("rawtypes")
        TrainingMaster master = TrainingMasters.of(config, batchSize, workers, seed,
                sc.getConf().get("spark.driver.host", "127.0.0.1"));
        SparkComputationGraph net = new SparkComputationGraph(sc, model, master);
        LongAccumulator batches = sc.sc().longAccumulator("ich.train.batches");
        LongAccumulator images = sc.sc().longAccumulator("ich.train.images");
        DoubleAccumulator loss = sc.sc().doubleAccumulator("ich.train.loss");
        net.setListeners(new BatchCounter(batches, images, loss));
        long start = System.nanoTime();
        try (Progress progress = new Progress(label, epoch.slices(), images, out, Duration.ofSeconds(20))) {
            net.fitMultiDataSet(epoch.batches());
        } finally {
            master.deleteTempFiles(sc);
        }
        double meanLoss = batches.value() > 0 ? loss.sum() / batches.value() : Double.NaN;
        return new Fitted(net.getNetwork(), meanLoss, batches.value(), images.value(),
                (System.nanoTime() - start) / 1e9);
    }
}
