package org.ich.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RsnaMetricTest {

    @Test
    void weighsAnyTwiceAndAveragesOverSlices() {
        double[][] probs = {
                {0.8, 0.4, 0.5, 0.5, 0.5, 0.5},
                {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}};
        int[][] labels = {
                {1, 0, 1, 0, 1, 0},
                {0, 0, 0, 0, 0, 0}};
        // Slice 1: any costs -ln 0.8 twice, epidural -ln 0.6, four coin flips ln 2 each; over weight 7.
        double first = (2 * -Math.log(0.8) + -Math.log(0.6) + 4 * Math.log(2)) / 7;
        double second = Math.log(2);
        assertEquals((first + second) / 2, RsnaMetric.weightedLogLoss(probs, labels), 1e-12);
    }

    @Test
    void certaintyIsClippedAtTheCompetitionsEpsilon() {
        double[][] probs = {{0.0, 1.0, 0.0, 0.0, 0.0, 0.0}};
        int[][] labels = {{1, 1, 0, 0, 0, 0}};
        // Only "any" is wrong, and confidently: -ln(1e-15) at weight 2 of 7.
        assertEquals(2 * -Math.log(1e-15) / 7, RsnaMetric.weightedLogLoss(probs, labels), 1e-9);
    }

    @Test
    void weightsCountOnlyByTheirRatio() {
        double[][] probs = {{0.9, 0.2}, {0.3, 0.6}};
        int[][] labels = {{1, 0}, {0, 0}};
        assertEquals(RsnaMetric.weightedLogLoss(probs, labels, new double[] {2, 1}),
                RsnaMetric.weightedLogLoss(probs, labels, new double[] {4, 2}), 1e-12);
        double expected = ((2 * -Math.log(0.9) - Math.log(0.8)) / 3 + (2 * -Math.log(0.7) - Math.log(0.4)) / 3) / 2;
        assertEquals(expected, RsnaMetric.weightedLogLoss(probs, labels, new double[] {2, 1}), 1e-12);
    }

    @Test
    void rejectsRaggedOrNonBinaryInput() {
        assertThrows(IllegalArgumentException.class,
                () -> RsnaMetric.weightedLogLoss(new double[][] {{0.5}}, new int[][] {{1}}));
        assertThrows(IllegalArgumentException.class,
                () -> RsnaMetric.weightedLogLoss(new double[][] {{0.5}}, new int[][] {{2}}, new double[] {1}));
    }
}
