package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class SliceScorerTest {

    private static float[][] inputs(int n, int plane, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][plane];
        for (float[] row : x) for (int i = 0; i < plane; i++) row[i] = random.nextFloat();
        return x;
    }

    @Test
    void logOddsAreTheHeadsOwnWhereProbabilitiesAreNotSaturated() {
        ComputationGraph net = ResNets.build(ModelSpec.of("tiny", 3, 32, Head.SIX), 5);
        SlicePredictor predictor = new SlicePredictor(net, 32, List.of(Tta.IDENTITY, Tta.HFLIP));
        float[][] x = inputs(4, 3 * 32 * 32, 1);
        double[] p = SliceScorer.of(predictor, 2).score(x);
        double[] z = SliceScorer.logitOf(predictor, 2).score(x);
        for (int i = 0; i < p.length; i++) {
            // The views' probabilities are averaged, their log-odds too: equal only while the sigmoid is near linear.
            assertEquals(Logit.of(p[i]), z[i], 0.05, "input " + i);
        }
    }

    @Test
    void logOddsStillRankInputsWhereFloatProbabilitiesSaturate() {
        ComputationGraph net = ResNets.build(ModelSpec.of("tiny", 3, 32, Head.SIX), 5);
        // A head bias far out: every float32 sigmoid is exactly 1.0, the log-odds still differ with the input.
        net.getLayer(ResNets.OUTPUT).getParam("b").addi(60);
        SlicePredictor predictor = new SlicePredictor(net, 32, List.of(Tta.IDENTITY));
        float[][] x = inputs(3, 3 * 32 * 32, 2);
        double[] p = SliceScorer.of(predictor, 0).score(x);
        double[] z = SliceScorer.logitOf(predictor, 0).score(x);
        assertEquals(1.0, p[0], 0.0);
        assertEquals(p[0], p[1], 0.0);
        assertTrue(z[0] > 50 && z[0] != z[1] && z[1] != z[2], "log-odds " + z[0] + ", " + z[1] + ", " + z[2]);
    }
}
