package org.ich.pixel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class MaskTensorTest {
    private static final int ROWS = 90, COLS = 70, SIZE = 32;
    private static final float HEAD_THRESHOLD = -300f;
    private static final int MARGIN = 6;

    /**
     * Resampling is linear, so a slice that is a head (0 HU, off-centre, the crop reaching past the image edge) plus
     * 100 HU on a rectangle resizes to the head alone plus 100 x the rectangle's mapped coverage: the mask lands
     * where the rectangle's pixels land, tensor pixel by tensor pixel.
     */
    @Test
    void aRectangleMaskLandsWhereTheRectanglesPixelsLand() {
        float[] head = new float[ROWS * COLS], slice = new float[ROWS * COLS];
        boolean[] mask = new boolean[ROWS * COLS];
        Arrays.fill(head, Resampler.AIR_HU);
        for (int r = 5; r < 60; r++) for (int c = 20; c < 69; c++) head[r * COLS + c] = 0;
        System.arraycopy(head, 0, slice, 0, head.length);
        for (int r = 30; r < 42; r++) {
            for (int c = 40; c < 55; c++) {
                slice[r * COLS + c] = 100;
                mask[r * COLS + c] = true;
            }
        }
        HuImage image = new HuImage(slice, ROWS, COLS, 1, 0, false);
        CropBox box = CropBox.find(image, HEAD_THRESHOLD, MARGIN);
        assertTrue(box.left() + box.side() > COLS, "the test wants a crop past the image edge: " + box);

        float[] resized = Resampler.resize(image, box, SIZE);
        float[] headOnly = Resampler.resize(new HuImage(head, ROWS, COLS, 1, 0, false), box, SIZE);
        float[] coverage = MaskTensor.coverage(mask, ROWS, COLS, box, SIZE);
        for (int i = 0; i < SIZE * SIZE; i++) {
            assertEquals(resized[i] - headOnly[i], 100 * coverage[i], 1e-2, "tensor pixel " + i);
        }

        boolean[] mapped = MaskTensor.map(mask, image, HEAD_THRESHOLD, MARGIN, SIZE);
        assertArrayEquals(MaskTensor.map(mask, ROWS, COLS, box, SIZE), mapped);
        int inside = 0;
        double scale = (double) box.side() / SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (!mapped[y * SIZE + x]) continue;
                inside++;
                // The tensor pixel's centre in slice coordinates lies on (or within a pixel of) the rectangle.
                double r = box.top() + (y + 0.5) * scale - 0.5, c = box.left() + (x + 0.5) * scale - 0.5;
                assertTrue(r > 29 - scale && r < 42 + scale && c > 39 - scale && c < 55 + scale, "(" + y + "," + x + ")");
                assertTrue(resized[y * SIZE + x] >= 50 - 1e-3, "a masked tensor pixel is mostly rectangle");
            }
        }
        // 12 x 15 source pixels at 32/73 px per pixel: about 5 x 6.5 tensor pixels.
        assertTrue(inside >= 20 && inside <= 48, "mapped pixels: " + inside);
    }

    @Test
    void anEmptyMaskMapsToNothingAndAFullOneCoversTheImage() {
        HuImage image = new HuImage(new float[64 * 64], 64, 64, 1, 0, false);
        assertFalse(contains(MaskTensor.map(new boolean[64 * 64], image, HEAD_THRESHOLD, 0, 16), true));
        boolean[] full = new boolean[64 * 64];
        Arrays.fill(full, true);
        assertFalse(contains(MaskTensor.map(full, image, HEAD_THRESHOLD, 0, 16), false));
        assertThrows(IllegalArgumentException.class, () -> MaskTensor.map(new boolean[10], image, HEAD_THRESHOLD, 0, 16));
    }

    private static boolean contains(boolean[] a, boolean v) {
        for (boolean b : a) if (b == v) return true;
        return false;
    }
}
