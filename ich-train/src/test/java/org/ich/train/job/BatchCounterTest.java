package org.ich.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.model.Head;
import org.ich.domain.Labels;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.ich.train.recipe.Optimizer;
import org.ich.train.recipe.Phase;
import org.ich.train.recipe.Precision;
import org.ich.train.recipe.Recipe;
import org.ich.train.recipe.RecipeConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class BatchCounterTest {

    @Test
    void theTrainLossIsTheDataLossWithoutTheWeightDecayPenalty() {
        RecipeConfig recipe = new RecipeConfig(1, 0, Optimizer.ADAM, 1e-3, 0.95, 0.85, 0.01, 0.3, 25, 1e4, 0.1, List.of(),
                Precision.FP32, 7, 0);
        ComputationGraph graph = new Recipe(recipe).prepare(
                ResNets.build(ModelSpec.of("tiny", 3, 32, Head.SIX), 7), Phase.ALL, 1, 10);
        Nd4j.getRandom().setSeed(3);
        MultiDataSet batch = new MultiDataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32),
                Nd4j.createFromArray(new float[][] {{1, 0, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 1},
                        {0, 0, 0, 0, 0, 0}}));
        // By hand: the weighted binary cross-entropy (weights 2:1:1:1:1:1, scaled to sum 1) of the outputs in
        // training mode (batch statistics), before the step changes the weights, averaged over the minibatch.
        double[][] p = graph.feedForward(batch.getFeatures(), true).get(ResNets.OUTPUT)
                .castTo(DataType.DOUBLE).toDoubleMatrix();
        int[][] y = batch.getLabels(0).toIntMatrix();
        double[] w = Labels.rsnaWeights();
        double byHand = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < w.length; j++) {
                double q = Math.min(Math.max(p[i][j], 1e-5), 1 - 1e-5);
                byHand -= w[j] / 7 * (y[i][j] == 1 ? Math.log(q) : Math.log1p(-q));
            }
        }
        byHand /= p.length;

        DoubleAccumulator loss = new DoubleAccumulator();
        graph.setListeners(new BatchCounter(new LongAccumulator(), new LongAccumulator(), loss));
        graph.fit(batch);
        assertTrue(graph.score() > byHand + 1e-3, "DL4J's own score carries the penalty: " + graph.score());
        assertEquals(byHand, loss.sum(), 1e-4, "the counted loss is the data loss");
    }
}
