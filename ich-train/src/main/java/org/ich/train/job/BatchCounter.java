package org.ich.train.job;

import java.io.Serializable;

import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Counts minibatches and slices fitted on the workers, and adds up their losses, into Spark accumulators,
 * which the driver reads for its progress line and the epoch's mean training loss (DL4J's own score is the
 * last averaging round's, and gradient sharing reports none). DL4J ships the listener to the executors
 * inside the training function.
 */
final class BatchCounter extends BaseTrainingListener implements Serializable {

    private final LongAccumulator batches;
    private final LongAccumulator images;
    private final DoubleAccumulator loss;

    BatchCounter(LongAccumulator batches, LongAccumulator images, DoubleAccumulator loss) {
        this.batches = batches;
        this.images = images;
        this.loss = loss;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        batches.add(1);
        images.add(model.batchSize());
        loss.add(model.score());
    }
}
