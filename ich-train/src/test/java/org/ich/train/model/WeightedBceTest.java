package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ich.train.metrics.RsnaMetric;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

class WeightedBceTest {

    private static final ActivationSigmoid SIGMOID = new ActivationSigmoid();

    @Test
    void scoreIsTheWeightedMeanLogLossPerSample() {
        LossBinaryXENT loss = WeightedBce.of(2, 1);
        // Logits 0 and ln 3 are probabilities 1/2 and 3/4.
        INDArray logits = Nd4j.createFromArray(new double[][] {{0, Math.log(3)}, {Math.log(3), 0}});
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        // Sample 1: (2 ln 2 + ln 4) / 3 = 4/3 ln 2. Sample 2: (2 ln 4 + ln 2) / 3 = 5/3 ln 2.
        double expected = (4.0 / 3 + 5.0 / 3) / 2 * Math.log(2);

        assertEquals(expected, loss.computeScore(labels, logits, SIGMOID, null, true), 1e-9);
        INDArray perSample = loss.computeScoreArray(labels, logits, SIGMOID, null);
        assertEquals(4.0 / 3 * Math.log(2), perSample.getDouble(0), 1e-9);
        assertEquals(5.0 / 3 * Math.log(2), perSample.getDouble(1), 1e-9);
    }

    @Test
    void onTheSixHeadTheLossIsTheCompetitionMetric() {
        double[][] logits = {{-2.0, 0.5, -1.0, 3.0, -4.0, 0.1}, {1.5, -0.3, 0.0, -2.5, 2.0, -1.2}};
        int[][] truth = {{0, 1, 0, 1, 0, 0}, {1, 0, 0, 0, 1, 1}};
        double[][] probs = new double[2][6];
        double[][] labels = new double[2][6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 6; j++) {
                probs[i][j] = 1 / (1 + Math.exp(-logits[i][j]));
                labels[i][j] = truth[i][j];
            }
        }
        LossBinaryXENT loss = WeightedBce.forSpec(ModelSpec.of("tiny", 3, 64, Head.SIX));
        double score = loss.computeScore(Nd4j.createFromArray(labels), Nd4j.createFromArray(logits), SIGMOID, null, true);
        assertEquals(RsnaMetric.weightedLogLoss(probs, truth), score, 1e-9);
    }

    @Test
    void gradientIsWeightedSigmoidResidualAndMatchesFiniteDifferences() {
        LossBinaryXENT loss = WeightedBce.of(2, 1, 1);
        double[][] z = {{0.3, -1.2, 2.0}, {-0.7, 0.9, -2.2}};
        INDArray logits = Nd4j.createFromArray(z);
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 1, 1}});
        INDArray gradient = loss.computeGradient(labels, logits, SIGMOID, null);

        double[] w = {0.5, 0.25, 0.25};
        double h = 1e-6;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double p = 1 / (1 + Math.exp(-z[i][j]));
                assertEquals(w[j] * (p - labels.getDouble(i, j)), gradient.getDouble(i, j), 1e-9);

                INDArray up = logits.dup();
                up.putScalar(i, j, z[i][j] + h);
                INDArray down = logits.dup();
                down.putScalar(i, j, z[i][j] - h);
                double numeric = (loss.computeScore(labels, up, SIGMOID, null, false)
                        - loss.computeScore(labels, down, SIGMOID, null, false)) / (2 * h);
                assertEquals(numeric, gradient.getDouble(i, j), 1e-6);
            }
        }
    }
}
