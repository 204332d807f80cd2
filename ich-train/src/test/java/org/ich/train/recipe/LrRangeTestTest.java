package org.ich.train.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrRangeTestTest {

    @Test
    void rampsExponentiallyFromMinToMax() {
        LrRangeTest test = new LrRangeTest(1e-6, 1, 7, 0, 4);
        for (int i = 0; i < 7; i++) {
            assertEquals(Math.pow(10, -6 + i), test.nextLr(), 1e-9 * Math.pow(10, -6 + i));
            test.record(1.0);
        }
        assertTrue(test.finished());
        assertFalse(test.diverged());
    }

    /** A loss that falls fastest at 1e-4, bottoms out near 1e-2 and explodes beyond. */
    private static double loss(double lr) {
        double x = Math.log10(lr);
        return x < -2 ? 1.5 - 0.5 * Math.tanh(2 * (x + 4)) : 1.0 + 3 * (x + 2) * (x + 2);
    }

    @Test
    void stopsOnDivergenceAndSuggestsTheSteepestDescent() {
        LrRangeTest test = new LrRangeTest(1e-7, 10, 200, 0.5, 4);
        while (!test.finished()) {
            test.record(loss(test.nextLr()));
        }
        assertTrue(test.diverged(), "the loss explodes past 1e-2");
        assertTrue(test.lrs().get(test.lrs().size() - 1) < 10, "stopped before the end of the ramp");
        double suggested = test.suggestedLr();
        assertTrue(suggested > 3e-5 && suggested < 3e-4, "steepest near 1e-4, got " + suggested);
        assertTrue(test.minLossLr() > 1e-3 && test.minLossLr() < 1e-1, "minimum near 1e-2, got " + test.minLossLr());
    }

    @Test
    void aNonFiniteLossEndsTheTest() {
        LrRangeTest test = new LrRangeTest(1e-5, 1, 10, 0.9, 4);
        test.record(1.0);
        test.record(Double.NaN);
        assertTrue(test.finished() && test.diverged());
        assertEquals(1, test.lrs().size());
    }

    @Test
    void fallsBackToATenthOfTheMinimumWhenTheCurveNeverFalls() {
        LrRangeTest test = new LrRangeTest(1e-5, 1, 20, 0, 100);
        for (int i = 0; i < 20; i++) {
            test.record(1 + i);
        }
        assertTrue(Double.isNaN(test.steepestLr()));
        assertEquals(1e-6, test.suggestedLr(), 1e-18);
    }
}
