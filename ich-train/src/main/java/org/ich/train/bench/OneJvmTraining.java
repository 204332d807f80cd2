package org.ich.train.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.data.Batcher;
import org.ich.train.data.DataConfig;
import org.ich.train.data.SamplePipeline;
import org.ich.train.data.SliceSample;
import org.ich.train.model.BatchNormStatistics;
import org.ich.train.recipe.Phase;
import org.ich.train.recipe.Recipe;
import org.ich.train.recipe.RecipeConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * DL4J without Spark: {@code ComputationGraph.fit} on the same samples, recipe, augmentation and minibatch size as
 * {@code ich train}, reshuffled every epoch. It separates what DL4J itself learns from what ich's Spark path does to
 * it, in the same run.
 */
final class OneJvmTraining {

    private OneJvmTraining() {
    }

    /** Called after every epoch with the network as inference would use it. */
    interface EpochListener {
        void epochDone(int epoch, double trainLoss, ComputationGraph model);
    }

    /**
     * @param listener after each epoch (1-based), with the network whose batch-norm statistics were measured on
     *                 {@link RecipeConfig#batchNormSlices()} training slices as {@code ich train} does
     */
    static ComputationGraph fit(ComputationGraph graph, List<SliceSample> train, int size, RecipeConfig recipe,
                                DataConfig data, EpochListener listener) {
        int epochs = recipe.epochs();
        long steps = (train.size() + data.batchSize() - 1) / data.batchSize();
        ComputationGraph model = new Recipe(recipe).prepare(graph, Phase.ALL, epochs, steps);
        List<SliceSample> order = new ArrayList<>(train);
        for (int epoch = 0; epoch < epochs; epoch++) {
            Collections.shuffle(order, new Random(data.seed() * 31 + epoch));
            Batcher batches = new Batcher(order.iterator(), data.batchSize(),
                    new SamplePipeline(size, data.augmentation(), data.seed(), epoch));
            double loss = 0;
            int fitted = 0;
            while (batches.hasNext()) {
                model.fit(batches.next());
                // The score includes the weight-decay penalty (~96 on a ResNet-18), not part of the data loss.
                loss += model.score() - model.calcRegularizationScore(true);
                fitted++;
            }
            if (recipe.batchNormSlices() > 0) {
                BatchNormStatistics statistics = new BatchNormStatistics();
                Batcher sample = new Batcher(order.subList(0, Math.min(order.size(), recipe.batchNormSlices())).iterator(),
                        data.batchSize(), SamplePipeline.plain(size));
                while (sample.hasNext()) {
                    statistics.add(model, sample.next().getFeatures(0));
                }
                statistics.applyTo(model);
            }
            listener.epochDone(epoch + 1, loss / Math.max(1, fitted), model);
        }
        return model;
    }

    /** Sigmoid outputs in inference mode, rows in the order of {@code samples}. */
    static double[][] predict(ComputationGraph model, List<SliceSample> samples, int size, int batchSize) {
        double[][] out = new double[samples.size()][];
        Batcher batches = new Batcher(samples.iterator(), batchSize, SamplePipeline.plain(size));
        int row = 0;
        while (batches.hasNext()) {
            MultiDataSet batch = batches.next();
            INDArray probs = model.outputSingle(false, batch.getFeatures(0));
            for (double[] p : probs.castTo(DataType.DOUBLE).toDoubleMatrix()) {
                out[row++] = p;
            }
        }
        return out;
    }
}
