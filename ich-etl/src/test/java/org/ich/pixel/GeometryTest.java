package org.ich.pixel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class GeometryTest {
    private static HuImage image(int rows, int cols, float fill) {
        float[] hu = new float[rows * cols];
        Arrays.fill(hu, fill);
        return new HuImage(hu, rows, cols, 1, 0, false);
    }

    @Test
    void cropBoxIsTheHeadsBoundingBoxGrownToASquare() {
        HuImage img = image(10, 10, -1000);
        for (int r = 2; r <= 4; r++) for (int c = 3; c <= 7; c++) img.hu()[r * 10 + c] = 40;
        assertEquals(new CropBox(1, 3, 5), CropBox.find(img, -300, 0));
        assertEquals(new CropBox(0, 2, 7), CropBox.find(img, -300, 1));
    }

    @Test
    void emptySliceCropsToTheWholeImage() {
        assertEquals(new CropBox(0, 0, 8), CropBox.find(image(8, 8, -1000), -300, 2));
        assertEquals(new CropBox(-2, 0, 8), CropBox.whole(4, 8));
    }

    @Test
    void resizeAtScaleOneIsTheIdentity() {
        HuImage img = image(4, 4, 0);
        for (int i = 0; i < 16; i++) img.hu()[i] = i * 10;
        assertArrayEquals(img.hu(), Resampler.resize(img, new CropBox(0, 0, 4), 4), 1e-4f);
    }

    @Test
    void downscalingAveragesAndOutsideReadsAsAir() {
        HuImage img = image(8, 8, 40);
        float[] out = Resampler.resize(img, new CropBox(0, 0, 8), 2);
        // Edge taps reach outside the image and pull toward air; the 2x... 4x shrink still keeps brain-like values
        // in the middle and averages, it never picks single pixels.
        for (float v : out) assertTrue(v < 40 && v > -1000, "value " + v);
        float[] inner = Resampler.resize(img, new CropBox(2, 2, 4), 2);
        for (float v : inner) assertEquals(40f, v, 1e-3f);
        float[] air = Resampler.resize(img, new CropBox(100, 100, 4), 2);
        for (float v : air) assertEquals(Resampler.AIR_HU, v, 1e-3f);
    }

    @Test
    void upscalingInterpolatesLinearly() {
        HuImage img = new HuImage(new float[]{0, 100, 0, 100}, 2, 2, 1, 0, false);
        // crop the middle: sample between the two columns
        float[] out = Resampler.resize(img, new CropBox(0, 0, 2), 4);
        assertEquals(4 * 4, out.length);
        float rowMiddle = out[1 * 4 + 1], rowMiddleNext = out[1 * 4 + 2];
        assertTrue(rowMiddle < rowMiddleNext, "left of center is darker than right of center");
    }
}
