package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StrataTest {

    @Test
    void bandsHoldTheirUpperEdge() {
        assertEquals("<=1.5 mm", Strata.thicknessBand(1.5));
        assertEquals("1.5-3 mm", Strata.thicknessBand(1.50001));
        assertEquals("1.5-3 mm", Strata.thicknessBand(3.0));
        assertEquals("3-5 mm", Strata.thicknessBand(5.0));
        assertEquals(">5 mm", Strata.thicknessBand(5.1));
        assertEquals("<=100 kV", Strata.kvpBand(100.0));
        assertEquals("100-120 kV", Strata.kvpBand(120.0));
        assertEquals(">120 kV", Strata.kvpBand(140.0));
    }

    @Test
    void missingValuesAreUnknown() {
        assertEquals(Strata.UNKNOWN, Strata.manufacturer("  "));
        assertEquals(Strata.UNKNOWN, Strata.manufacturer(null));
        assertEquals(Strata.UNKNOWN, Strata.thicknessBand(Double.NaN));
        assertEquals(Strata.UNKNOWN, Strata.kvpBand(null));
        assertEquals(Strata.UNKNOWN, Strata.encoding(null));
        assertEquals(Strata.UNKNOWN, Strata.matrix(512, null));
    }

    @Test
    void plainValues() {
        assertEquals("GE MEDICAL SYSTEMS", Strata.manufacturer(" GE MEDICAL SYSTEMS "));
        assertEquals("intercept fixed", Strata.encoding(true));
        assertEquals("as stored", Strata.encoding(false));
        assertEquals("512x512", Strata.matrix(512, 512));
    }
}
