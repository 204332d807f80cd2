package org.ich.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PlaneResizerTest {

    @Test
    void sameSizeIsTheSameArray() {
        byte[] t = new byte[2 * 4 * 4];
        assertSame(t, PlaneResizer.resize(t, 2, 4, 4));
    }

    @Test
    void halvingAveragesEachTwoByTwoBlockPerChannel() {
        // Channel 0: 4 x 4 of 2 x 2 blocks valued 0, 100, 200, 40; channel 1 constant 7.
        byte[] t = new byte[2 * 16];
        int[][] blocks = {{0, 100}, {200, 40}};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                t[y * 4 + x] = (byte) blocks[y / 2][x / 2];
                t[16 + y * 4 + x] = 7;
            }
        }
        byte[] out = PlaneResizer.resize(t, 2, 4, 2);
        // A 2x shrink's triangle filter spans 4 taps with weights 1/8, 3/8, 3/8, 1/8 (edges repeated).
        assertEquals(2 * 4, out.length);
        assertEquals(7, out[4] & 0xFF);
        assertEquals(7, out[7] & 0xFF);
        int expected00 = Math.round((0 * 0.875f + 100 * 0.125f) * 0.875f + (200 * 0.875f + 40 * 0.125f) * 0.125f);
        assertEquals(expected00, out[0] & 0xFF);
    }

    @Test
    void uniformPlanesStayUniformAtAnySize() {
        byte[] t = new byte[3 * 64 * 64];
        java.util.Arrays.fill(t, (byte) 200);
        byte[] expected = new byte[3 * 24 * 24];
        java.util.Arrays.fill(expected, (byte) 200);
        assertArrayEquals(expected, PlaneResizer.resize(t, 3, 64, 24));
    }
}
