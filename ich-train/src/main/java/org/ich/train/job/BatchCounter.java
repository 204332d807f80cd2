package org.ich.train.job;

import java.io.Serializable;

import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Counts minibatches and slices fitted on the workers into Spark accumulators, which the driver reads
 * for its progress line. DL4J ships the listener to the executors inside the training function.
 */
final class BatchCounter extends BaseTrainingListener implements Serializable {

    private final LongAccumulator batches;
    private final LongAccumulator images;

    BatchCounter(LongAccumulator batches, LongAccumulator images) {
        this.batches = batches;
        this.images = images;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        batches.add(1);
        images.add(model.batchSize());
    }
}
