package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionTest {

    @Test
    void countsAtAThresholdInclusive() {
        // Flagged (>= 0.6): 0.9 (pos), 0.6 (neg), 0.7 (pos); not flagged: 0.2 (neg), 0.5 (pos), 0.1 (neg).
        Confusion c = Confusion.at(0.6, new double[] {0.9, 0.6, 0.7, 0.2, 0.5, 0.1}, new int[] {1, 0, 1, 0, 1, 0});
        assertEquals(new Confusion(2, 1, 2, 1), c);
        assertEquals(2.0 / 3, c.sensitivity(), 1e-12);
        assertEquals(2.0 / 3, c.specificity(), 1e-12);
        assertEquals(2.0 / 3, c.ppv(), 1e-12);
        assertEquals(2.0 / 3, c.npv(), 1e-12);
        assertEquals(Wilson.of(2, 3), c.sensitivityCi());
    }

    @Test
    void emptyDenominatorsAreNaN() {
        Confusion c = Confusion.at(0.99, new double[] {0.2, 0.3}, new int[] {0, 0});
        assertTrue(Double.isNaN(c.sensitivity()));
        assertTrue(Double.isNaN(c.ppv()));
        assertEquals(1.0, c.specificity(), 1e-12);
        assertSame(Interval.NONE, c.sensitivityCi());
    }
}
