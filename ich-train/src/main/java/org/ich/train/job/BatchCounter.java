package org.ich.train.job;

import java.io.Serializable;

import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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

    /** The penalty inside the current score, taken before the update moves the parameters it was computed on. */
    private transient double penalty;

    @Override
    public void onGradientCalculation(Model model) {
        penalty = regularisation(model);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        batches.add(1);
        images.add(model.batchSize());
        // DL4J's score adds the regularisation penalty (with weight decay 0.01 on a ResNet-18, ~96 against a data
        // loss below 1), which would hide whether the data loss falls.
        loss.add(model.score() - penalty);
        penalty = 0;
    }

    /** The penalty DL4J added to the score: weight decay or L1/L2 over the current parameters. */
    static double regularisation(Model model) {
        return model instanceof ComputationGraph graph ? graph.calcRegularizationScore(true)
                : model instanceof MultiLayerNetwork net ? net.calcRegularizationScore(true) : 0;
    }
}
