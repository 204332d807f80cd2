package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class OperatingPointTest {

    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    private static final int[] LABELS = {1, 0, 1, 1, 0, 1};

    @Test
    void highestThresholdReachingTheTarget() {
        // Positives score 0.9, 0.7, 0.6, 0.4: half of them need 0.7, three quarters 0.6, all 0.4.
        assertEquals(0.7, OperatingPoint.choose("half", 0.5, SCORES, LABELS).threshold());
        assertEquals(0.6, OperatingPoint.choose("most", 0.75, SCORES, LABELS).threshold());
        assertEquals(0.6, OperatingPoint.choose("just over half", 0.51, SCORES, LABELS).threshold());
        assertEquals(0.4, OperatingPoint.choose("all", 1.0, SCORES, LABELS).threshold());
        assertEquals(new OperatingPoint("all", 1.0, 0.4), OperatingPoint.choose("all", 1.0, SCORES, LABELS));
    }

    @Test
    void tiedPositivesShareTheirThreshold() {
        double[] scores = {0.8, 0.8, 0.3, 0.9};
        int[] labels = {1, 1, 1, 0};
        assertEquals(0.8, OperatingPoint.choose("t", 0.5, scores, labels).threshold());
    }

    @Test
    void chosenPointMeetsItsTargetAndIsTheHighest() {
        Random random = new Random(5);
        double[] scores = new double[300];
        int[] labels = new int[300];
        for (int i = 0; i < scores.length; i++) {
            labels[i] = random.nextInt(4) == 0 ? 1 : 0;
            scores[i] = Math.round((0.3 * labels[i] + random.nextDouble()) * 50) / 50.0;
        }
        for (double target : new double[] {0.8, 0.9, 0.95, 0.99}) {
            OperatingPoint point = OperatingPoint.choose("p", target, scores, labels);
            assertTrue(Confusion.at(point.threshold(), scores, labels).sensitivity() >= target);
            double higher = Math.nextUp(point.threshold());
            assertTrue(Confusion.at(higher, scores, labels).sensitivity() < target, "not the highest at " + target);
        }
    }

    @Test
    void rejectsUnusableInput() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OperatingPoint.choose("p", 0.9, new double[] {0.2, 0.4}, new int[] {0, 0}));
        assertTrue(none.getMessage().contains("no positives"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OperatingPoint.choose("p", 0, SCORES, LABELS));
        assertThrows(IllegalArgumentException.class, () -> OperatingPoint.choose("p", 1.01, SCORES, LABELS));
        assertThrows(IllegalArgumentException.class, () -> OperatingPoint.choose("p", Double.NaN, SCORES, LABELS));
    }
}
