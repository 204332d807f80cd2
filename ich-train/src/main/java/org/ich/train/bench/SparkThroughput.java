package org.ich.train.bench;

import java.util.List;
import java.util.stream.LongStream;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Images per second of DL4J parameter averaging on Spark, over minibatches generated on the executors so the
 * driver ships no data. The timed epoch is a whole number of averaging rounds, so every minibatch is fitted and
 * images / wall time counts only work done.
 */
final class SparkThroughput {

    private SparkThroughput() {
    }

    static double measure(JavaSparkContext sc, ModelSpec spec, TrainBenchConfig cfg) {
        int workers = sc.defaultParallelism();
        int perRound = workers * cfg.averagingFrequency();
        // The same training master as the training job: export approach, Adam state averaged with the weights.
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, cfg.batch())
                .batchSizePerWorker(cfg.batch())
                .averagingFrequency(cfg.averagingFrequency())
                .rddTrainingApproach(RDDTrainingApproach.Export)
                .saveUpdater(true)
                .rngSeed(1)
                .build();
        ComputationGraph graph = ResNets.build(spec, 1);
        SparkComputationGraph net = new SparkComputationGraph(sc, graph, master);
        int channels = spec.channels();
        int size = spec.size();
        int outputs = spec.head().outputs();
        try {
            // One round pays for broadcasting, executor-side graph building and first-call native costs.
            net.fitMultiDataSet(batches(sc, 0, perRound, workers, cfg.batch(), channels, size, outputs));
            long count = (long) perRound * cfg.sparkRounds();
            JavaRDD<MultiDataSet> epoch = batches(sc, perRound, count, workers, cfg.batch(), channels, size, outputs);
            long start = System.nanoTime();
            net.fitMultiDataSet(epoch);
            return count * cfg.batch() / ((System.nanoTime() - start) / 1e9);
        } finally {
            master.deleteTempFiles(sc);
        }
    }

    private static JavaRDD<MultiDataSet> batches(JavaSparkContext sc, long firstSeed, long count, int partitions,
                                                 int batch, int channels, int size, int outputs) {
        List<Long> seeds = LongStream.range(firstSeed, firstSeed + count).boxed().toList();
        return sc.parallelize(seeds, partitions).map(seed -> {
            // On a cluster this runs in executor JVMs, which build their replicas after it.
            NativeHelpers.enable();
            return (MultiDataSet) SyntheticBatch.of(batch, channels, size, outputs, seed);
        });
    }
}
