package org.ich.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static float[] ramp(int channels, int size) {
        float[] chw = new float[channels * size * size];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    chw[c * size * size + y * size + x] = (c + 1) * x / (float) size;
                }
            }
        }
        return chw;
    }

    @Test
    void aFlipAloneMirrorsEveryChannelExactly() {
        float[] in = ramp(2, 8);
        float[] out = new Augmentation(1, 0, 0, 0).apply(in, 2, 8, new Random(1));
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertEquals(in[c * 64 + y * 8 + (7 - x)], out[c * 64 + y * 8 + x], 1e-6);
                }
            }
        }
    }

    @Test
    void noAugmentationIsTheIdentity() {
        float[] in = ramp(3, 16);
        assertSame(in, Augmentation.NONE.apply(in, 3, 16, new Random(1)));
    }

    @Test
    void theSameSeedDrawsTheSameWarpAndAnotherSeedAnother() {
        Augmentation augmentation = new Augmentation(0.5, 15, 0.1, 0.05);
        float[] in = ramp(3, 16);
        float[] a = augmentation.apply(in, 3, 16, new Random(7));
        assertArrayEquals(a, augmentation.apply(in, 3, 16, new Random(7)));
        assertFalse(Arrays.equals(a, augmentation.apply(in, 3, 16, new Random(8))));
    }

    @Test
    void aShiftMovesContentAndFillsWithAir() {
        float[] in = new float[8 * 8];
        Arrays.fill(in, 1f);
        // A random stream whose every draw is at the top of its range: shifted by +2 px on both axes.
        float[] out = new Augmentation(0, 0, 0, 0.25).apply(in, 1, 8, new Random(0) {
            @Override
            public double nextDouble() {
                return 0.99999999;
            }
        });
        assertEquals(0f, out[0], 1e-4);
        assertEquals(1f, out[7 * 8 + 7], 1e-4);
    }
}
