package org.ich.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class LabelMetricsTest {

    private static double[][] column(double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return rows;
    }

    private static int[][] column(int... values) {
        int[][] rows = new int[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new int[] {values[i]};
        }
        return rows;
    }

    @Test
    void aucAndAccuracyOfTheTextbookExample() {
        // Of the four positive/negative pairs only (0.35 vs 0.4) is ordered wrongly.
        LabelScore any = LabelMetrics.compute(column(0.1, 0.4, 0.35, 0.8), column(0, 0, 1, 1)).get(0);
        assertEquals("any", any.label());
        assertEquals(0.75, any.auc(), 1e-12);
        assertEquals(0.75, any.accuracy(), 1e-12);
        assertEquals(4, any.count());
        assertEquals(2, any.positives());
    }

    @Test
    void tiedScoresCountHalfAPair() {
        // Positives {0.3, 0.7}, negatives {0.3, 0.3, 0.1}: the 0.3 positive beats one negative, ties two.
        LabelScore any = LabelMetrics.compute(column(0.3, 0.3, 0.3, 0.1, 0.7), column(1, 0, 0, 0, 1)).get(0);
        assertEquals(5.0 / 6, any.auc(), 1e-12);
    }

    @Test
    void aLabelWithOneClassHasNoAuc() {
        double[][] probs = {{0.9, 0.1}, {0.2, 0.3}, {0.7, 0.6}};
        int[][] labels = {{1, 0}, {0, 0}, {1, 0}};
        List<LabelScore> scores = LabelMetrics.compute(probs, labels);
        assertEquals("epidural", scores.get(1).label());
        assertEquals(1.0, scores.get(0).auc(), 1e-12);
        assertTrue(Double.isNaN(scores.get(1).auc()));
        assertEquals(2.0 / 3, scores.get(1).accuracy(), 1e-12);
    }
}
