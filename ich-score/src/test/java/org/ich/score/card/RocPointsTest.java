package org.ich.score.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ROC points worked out by hand. */
class RocPointsTest {

    @Test
    void onePointPerDistinctThresholdFromTheOriginToTheCorner() {
        // 0.9 (+), 0.8 (-), 0.5 (+), 0.5 (-), 0.1 (-): 2 positives, 3 negatives
        RocPoints roc = RocPoints.of(new double[] {0.5, 0.9, 0.1, 0.8, 0.5}, new int[] {1, 1, 0, 0, 0});
        assertArrayEquals(new double[] {0, 0, 1 / 3.0, 2 / 3.0, 1}, roc.fpr(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.tpr(), 1e-12);
        // pairs: (0.9 > all 3), (0.5 > 0.1, ties 0.5: half) -> (3 + 1 + 0.5) / 6
        assertEquals(4.5 / 6, roc.auc(), 1e-12);
    }

    @Test
    void oneClassStillEndsInTheCorner() {
        RocPoints roc = RocPoints.of(new double[] {0.2, 0.7}, new int[] {0, 0});
        assertArrayEquals(new double[] {0, 0.5, 1, 1}, roc.fpr(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 1}, roc.tpr(), 1e-12);
        assertEquals(2, RocPoints.of(new double[0], new int[0]).fpr().length);
    }
}
