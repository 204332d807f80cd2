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
import org.ich.train.data.EpochLayout;
import org.ich.train.data.TrainingData;
import org.ich.train.model.BatchNormStatistics;

/** Fits one epoch on the cluster with DL4J's parameter averaging or gradient sharing, printing progress. */
final class EpochTrainer {

    /**
     * The network after the epoch (its batch-norm statistics measured anew when configured), the mean data loss of its minibatches (the regularisation penalty left out), and
     * the minibatches and sample positions fitted: with averaging, every slice once plus the last round's top-up
     * ({@link EpochLayout}). Gradient sharing fits them all, but its counts are best effort: its workers train on
     * threads of a per-JVM wrapper that can outlive the Spark task whose accumulators they report to, and what they
     * add after that task ends is lost.
     */
    record Fitted(ComputationGraph model, double loss, long batches, long slices, double seconds) {
    }

    private final JavaSparkContext sc;
    private final DistributedConfig config;
    private final int batchSize;
    private final int workers;
    private final long batchNormSlices;
    private final PrintStream out;

    /** @param batchNormSlices training slices the batch-norm statistics are measured on after each epoch; 0 = never */
    EpochTrainer(JavaSparkContext sc, DistributedConfig config, int batchSize, long batchNormSlices, PrintStream out) {
        this.sc = sc;
        this.config = config;
        this.batchSize = batchSize;
        this.workers = replicas(sc, config);
        this.batchNormSlices = batchNormSlices;
        this.out = out;
    }

    /**
     * Model replicas training at once. Averaging: ich.train.workers in all, or one per executor, which trains with
     * every core of its executor in ND4J's OpenMP threads (on local[N], one replica: measured best, see README).
     * Sharing: ich.train.workers per executor, or DL4J's choice (one per executor on CPUs, one per GPU).
     */
    static int replicas(JavaSparkContext sc, DistributedConfig config) {
        // The block managers are the executors plus, except in local mode, the driver's own.
        int managers = sc.sc().getExecutorMemoryStatus().size();
        int executors = sc.isLocal() ? 1 : Math.max(1, managers - 1);
        if (config.master() == DistributedConfig.Master.AVERAGING) {
            return config.workers() > 0 ? config.workers() : executors;
        }
        return executors * Math.max(1, config.workers());
    }

    int workers() {
        return workers;
    }

    /** How an epoch of {@code slices} becomes minibatches and rounds on this layout of replicas. */
    EpochLayout layout(long slices) {
        // Gradient sharing takes the whole epoch in one call and spreads the minibatches over its workers itself.
        return config.master() == DistributedConfig.Master.AVERAGING
                ? EpochLayout.of(slices, batchSize, workers, config.averagingFrequency())
                : EpochLayout.of(slices, batchSize, 1, 1);
    }

    /** Optimiser steps per replica in an epoch of {@code slices}: the learning-rate schedule's clock. */
    long stepsPerEpoch(long slices) {
        return config.master() == DistributedConfig.Master.AVERAGING ? layout(slices).stepsPerEpoch()
                : TrainingMasters.sharingStepsPerEpoch(slices, batchSize, workers);
    }

    Fitted fit(ComputationGraph model, TrainingData data, TrainingData.Epoch epoch, String label, long seed) {
        EpochLayout layout = layout(epoch.slices());
        // One master per epoch, seeded by the epoch: a resumed run then splits its epochs as the uninterrupted run
        // would. (Kept for the run, a sharing master went on reporting to the first epoch's listeners, and its
        // epochs took no less time: measured.) Each fit call is one round of exactly workers x frequency
        // minibatches, which DL4J then neither splits nor trims.
        @SuppressWarnings("rawtypes")
        TrainingMaster master = TrainingMasters.of(config, batchSize, workers, layout.frequency(), seed,
                sc.getConf().get("spark.driver.host", "127.0.0.1"));
        SparkComputationGraph net = new SparkComputationGraph(sc, model, master);
        LongAccumulator batches = sc.sc().longAccumulator("ich.train.batches");
        LongAccumulator images = sc.sc().longAccumulator("ich.train.images");
        DoubleAccumulator loss = sc.sc().doubleAccumulator("ich.train.loss");
        RoundClock clock = new RoundClock();
        net.setListeners(new BatchCounter(batches, images, loss), clock);
        long start = System.nanoTime();
        try (TrainingData.Rounds rounds = data.rounds(epoch, layout);
             Progress progress = new Progress(label, layout.positions(), images, out, Duration.ofSeconds(20))) {
            for (int round = 0; round < layout.rounds(); round++) {
                clock.startAt(net.getNetwork().getConfiguration().getIterationCount());
                net.fitMultiDataSet(rounds.round(round));
            }
        } finally {
            master.deleteTempFiles(sc);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (batchNormSlices > 0) {
            long t0 = System.nanoTime();
            BatchNormStatistics.Drift drift = BatchNormRecalibration.apply(sc, net.getNetwork(),
                    data.sampleBatches(epoch, batchNormSlices));
            out.printf("%s: %s, in %.1f s%n", label, drift, (System.nanoTime() - t0) / 1e9);
        }
        double meanLoss = batches.value() > 0 ? loss.sum() / batches.value() : Double.NaN;
        return new Fitted(net.getNetwork(), meanLoss, batches.value(), images.value(), seconds);
    }
}
