package org.ich.train.job;

import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** DL4J's training master for {@link DistributedConfig}. */
final class TrainingMasters {

    private TrainingMasters() {
    }

    /**
     * @param batchSize examples in each MultiDataSet of the RDD, which is also each worker's minibatch
     * @param workers   replicas that fit in parallel; decides how many minibatches make one averaging round
     */
    static ParameterAveragingTrainingMaster averaging(DistributedConfig config, int batchSize, int workers, long seed) {
        ParameterAveragingTrainingMaster.Builder builder = new ParameterAveragingTrainingMaster.Builder(workers, batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(config.averagingFrequency())
                .workerPrefetchNumBatches(config.workerPrefetch())
                .storageLevel(config.storageLevel())
                .repartionData(config.repartition())
                .repartitionStrategy(config.repartitionStrategy())
                .rddTrainingApproach(config.approach())
                // Adam's moments are averaged with the weights; without them every round restarts the optimiser.
                .saveUpdater(true)
                .rngSeed(seed);
        if (config.exportDir() != null) {
            builder.exportDirectory(config.exportDir());
        }
        return builder.build();
    }

    /**
     * Optimiser steps per epoch on the schedule's clock: DL4J cuts the epoch's minibatches into
     * floor(batches / (workers x averaging frequency)) rounds (at least one) and advances the network's
     * iteration count by the averaging frequency per round.
     */
    static long stepsPerEpoch(long slices, int batchSize, int workers, int averagingFrequency) {
        long batches = Math.max(1, (slices + batchSize - 1) / batchSize);
        long rounds = Math.max(1, batches / ((long) workers * averagingFrequency));
        return rounds * averagingFrequency;
    }
}
