package org.ich.pixel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RescaleTest {
    private static float hu(int stored, int bitsStored, int pixelRepresentation, double slope, double intercept) {
        return Rescale.toHu(new short[]{(short) stored}, 1, 1, bitsStored, pixelRepresentation, slope, intercept).hu()[0];
    }

    @Test
    void unsignedWithNegativeIntercept() {
        assertEquals(40f, hu(1064, 16, 0, 1, -1024));
        assertEquals(-1024f, hu(0, 12, 0, 1, -1024));
    }

    @Test
    void signedValuesAreSignExtendedFromBitsStored() {
        assertEquals(-1024f, hu(-24, 16, 1, 1, -1000));
        assertEquals(-1f, hu(0x0FFF, 12, 1, 1, 0));
        assertEquals(2047f, hu(0x07FF, 12, 1, 1, 0));
    }

    @Test
    void highBitsAboveBitsStoredAreIgnored() {
        assertEquals(40f, hu(0xF000 | 1064, 12, 0, 1, -1024));
    }

    @Test
    void slopeApplies() {
        assertEquals(-1000f + 2 * 100, hu(100, 16, 0, 2, -1000));
    }

    @Test
    void badInterceptGroupHasItsPixelsShiftedAndWrapped() {
        // HU h is stored as h mod 4096 with intercept 0; the fix maps v -> ((v + 1000) mod 4096) - 1000.
        assertEquals(-1000f, hu(3096, 12, 0, 1, 0));
        assertEquals(40f, hu(40, 12, 0, 1, 0));
        assertEquals(0f, hu(0, 12, 0, 1, 0));
        assertEquals(-96f, hu(4000, 12, 0, 1, 0));
        assertEquals(3095f, hu(3095, 12, 0, 1, 0));
        HuImage img = Rescale.toHu(new short[]{3096}, 1, 1, 12, 0, 1, 0);
        assertTrue(img.interceptFixed());
        assertEquals(-1000, img.appliedIntercept());
    }

    @Test
    void fixOnlyForTwelveBitUnsignedWithInterceptAboveMinus100() {
        assertFalse(Rescale.needsInterceptFix(16, 0, 0));
        assertFalse(Rescale.needsInterceptFix(12, 1, 0));
        assertFalse(Rescale.needsInterceptFix(12, 0, -1024));
        assertFalse(Rescale.needsInterceptFix(12, 0, -100));
        assertTrue(Rescale.needsInterceptFix(12, 0, -99));
        assertEquals(3096f - 1024, hu(3096, 12, 0, 1, -1024));
    }
}
