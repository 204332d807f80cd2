package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

class BatchNormStatisticsTest {

    private static final String STEM_BN = "stem_bn";

    private static ComputationGraph tiny() {
        return ResNets.build(ModelSpec.of("tiny", 3, 32, Head.SIX), 7);
    }

    private static INDArray inputs(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(new int[] {n, 3, 32, 32});
    }

    /**
     * What made inference-mode outputs collapse in mid-training: DL4J keeps the statistics inference uses as an
     * exponential average that moves a tenth of the way (decay 0.9) towards each minibatch's statistics, measured under
     * that step's weights. After a step from a fresh network (running mean 0) the stem's running mean is a tenth of
     * the batch mean, so inference normalises with statistics the network does not produce; near the one-cycle peak,
     * where the weights move fast, the average keeps lagging them.
     */
    @Test
    void dl4jsRunningMeanMovesATenthOfTheWayPerStep() {
        ComputationGraph graph = tiny();
        INDArray x = inputs(16, 1);
        double[] batchMean = new BatchNormStatistics().add(graph, x).mean(STEM_BN);
        graph.setLearningRate(0.0); // the weights stay put: only the running averages move
        graph.fit(new MultiDataSet(x, Nd4j.zeros(16, 6)));
        double[] running = graph.getLayer(STEM_BN).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                .toDoubleVector();
        for (int c = 0; c < running.length; c++) {
            assertEquals(0.1 * batchMean[c], running[c], 1e-4 + 1e-3 * Math.abs(batchMean[c]), "channel " + c);
        }
    }

    @Test
    void measuredStatisticsMakeInferenceNormaliseAsTrainingDoes() {
        ComputationGraph graph = tiny();
        INDArray x = inputs(16, 2);
        INDArray training = graph.outputSingle(true, x).dup();
        INDArray before = graph.outputSingle(false, x).dup();
        assertTrue(before.distance1(training) > 1e-2, "fresh running statistics differ from the batch's");

        BatchNormStatistics.Drift drift = new BatchNormStatistics().add(graph, x).applyTo(graph);
        INDArray after = graph.outputSingle(false, x);
        // The sample is this one batch, so its population statistics are the batch's: the outputs agree.
        assertArrayEquals(training.ravel().toFloatVector(), after.ravel().toFloatVector(), 1e-4f);
        assertEquals(16, drift.inputs());
        assertTrue(drift.logStdRatio() + drift.meanShift() > 0.1, "reports how far the running averages were: " + drift);
    }

    @Test
    void statisticsDoNotDependOnHowTheSampleIsBatched() {
        ComputationGraph graph = tiny();
        INDArray x = inputs(24, 3);
        BatchNormStatistics whole = new BatchNormStatistics().add(graph, x);
        BatchNormStatistics halves = new BatchNormStatistics()
                .add(graph, x.get(NDArrayIndex.interval(0, 8)).dup())
                .merge(new BatchNormStatistics().add(graph, x.get(NDArrayIndex.interval(8, 24)).dup()));
        // The stem's input is the slices themselves; later layers see activations normalised by each batch's own statistics.
        for (String layer : new String[] {STEM_BN}) {
            assertArrayEquals(whole.mean(layer), halves.mean(layer), 1e-5, layer);
            assertArrayEquals(whole.variance(layer), halves.variance(layer), 1e-4, layer);
        }
        assertEquals(24, halves.inputs());
    }

    @Test
    void nothingMeasuredChangesNothing() {
        ComputationGraph graph = tiny();
        INDArray params = graph.params().dup();
        assertEquals(BatchNormStatistics.Drift.NONE, new BatchNormStatistics().applyTo(graph));
        assertEquals(params, graph.params());
    }

    @Test
    void frozenLayersAreLeftAlone() {
        ComputationGraph graph = tiny();
        ComputationGraph frozen = new org.deeplearning4j.nn.transferlearning.TransferLearning.GraphBuilder(graph)
                .fineTuneConfiguration(new org.deeplearning4j.nn.transferlearning.FineTuneConfiguration.Builder()
                        .updater(new Adam(1e-3)).build())
                .setFeatureExtractor(ResNets.FEATURES).build();
        INDArray params = frozen.params().dup();
        new BatchNormStatistics().add(frozen, inputs(8, 4)).applyTo(frozen);
        assertEquals(params, frozen.params(), "a frozen backbone's statistics never move");
    }
}
