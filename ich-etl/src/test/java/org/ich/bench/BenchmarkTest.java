package org.ich.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BenchmarkTest {
    @Test
    void aSmallRatioKeepsItsSignificantDigits() {
        assertEquals("0.00213", Benchmark.significant(0.0021347));
        assertEquals("1.27", Benchmark.significant(1.2749));
        assertEquals("340", Benchmark.significant(339.6));
        assertEquals("NaN", Benchmark.significant(Double.NaN));
    }
}
