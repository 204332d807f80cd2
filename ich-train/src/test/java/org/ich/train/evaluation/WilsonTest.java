package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WilsonTest {

    // By hand: centre (p + z²/2n) / (1 + z²/n), half-width z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²).

    @Test
    void eightOfTen() {
        Interval ci = Wilson.of(8, 10);
        assertEquals(0.490162, ci.low(), 1e-6);
        assertEquals(0.943318, ci.high(), 1e-6);
    }

    @Test
    void allOrNothingStillHasWidth() {
        Interval none = Wilson.of(0, 5);
        assertEquals(0.0, none.low(), 1e-12);
        assertEquals(0.434482, none.high(), 1e-6);
        Interval all = Wilson.of(5, 5);
        assertEquals(0.565518, all.low(), 1e-6);
        assertEquals(1.0, all.high(), 1e-12);
    }

    @Test
    void noTrialsNoInterval() {
        assertSame(Interval.NONE, Wilson.of(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Wilson.of(6, 5));
    }
}
