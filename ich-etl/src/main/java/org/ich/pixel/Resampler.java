package org.ich.pixel;

import java.util.Arrays;

/**
 * Resizes a square crop of a HU image to size x size with a separable triangle (linear) filter whose support
 * widens with the downscale factor, so shrinking 512 px to 64 px averages instead of aliasing (like OpenCV's
 * INTER_AREA or PIL's antialiased bilinear). Pixels outside the image read as {@link #AIR_HU}.
 */
public final class Resampler {
    public static final float AIR_HU = -1000f;

    private Resampler() {}

    /**
     * Source taps and normalised weights for each output position along one axis, clipped to the image: the weight
     * of taps that fall outside is kept apart as {@code outside}, so the inner loops need no bounds checks.
     */
    record Taps(int[] first, float[][] weights, float[] outside) {
        static Taps of(int srcOffset, int srcLength, int outLength, int imageLength) {
            double scale = (double) srcLength / outLength;
            double support = Math.max(1.0, scale);
            int[] first = new int[outLength];
            float[][] weights = new float[outLength][];
            float[] outside = new float[outLength];
            for (int i = 0; i < outLength; i++) {
                double center = srcOffset + (i + 0.5) * scale - 0.5;
                int lo = (int) Math.ceil(center - support);
                int hi = (int) Math.floor(center + support);
                double sum = 0;
                for (int j = lo; j <= hi; j++) sum += Math.max(0, 1 - Math.abs(j - center) / support);
                int from = Math.max(lo, 0), to = Math.min(hi, imageLength - 1);
                float[] w = new float[Math.max(0, to - from + 1)];
                double inside = 0;
                for (int j = from; j <= to; j++) {
                    w[j - from] = (float) (Math.max(0, 1 - Math.abs(j - center) / support) / sum);
                    inside += w[j - from];
                }
                first[i] = from;
                weights[i] = w;
                outside[i] = (float) (1 - inside);
            }
            return new Taps(first, weights, outside);
        }
    }

    public static float[] resize(HuImage img, CropBox box, int size) {
        return resize(img.hu(), img.rows(), img.columns(), box, size, AIR_HU);
    }

    /**
     * The same resampling of any row-major rows x columns plane (e.g. a 0/1 mask, see {@link MaskTensor}), with
     * {@code fill} read outside the image; {@link #resize(HuImage, CropBox, int)} is this with {@link #AIR_HU}.
     */
    public static float[] resize(float[] hu, int rows, int cols, CropBox box, int size, float fill) {
        if (hu.length != rows * cols) throw new IllegalArgumentException("plane has " + hu.length + " values, expected " + rows + "x" + cols);
        Taps horizontal = Taps.of(box.left(), box.side(), size, cols);
        Taps vertical = Taps.of(box.top(), box.side(), size, rows);
        // Pass 1: the source rows the vertical taps use, resampled horizontally (outside columns count as air).
        int rowFrom = rows, rowTo = -1;
        for (int y = 0; y < size; y++) {
            if (vertical.weights[y].length == 0) continue;
            rowFrom = Math.min(rowFrom, vertical.first[y]);
            rowTo = Math.max(rowTo, vertical.first[y] + vertical.weights[y].length - 1);
        }
        float[][] tmp = new float[Math.max(0, rowTo - rowFrom + 1)][];
        for (int r = rowFrom; r <= rowTo; r++) {
            float[] out = new float[size];
            int base = r * cols;
            for (int i = 0; i < size; i++) {
                int c0 = base + horizontal.first[i];
                float[] w = horizontal.weights[i];
                float acc = horizontal.outside[i] * fill;
                for (int k = 0; k < w.length; k++) acc += w[k] * hu[c0 + k];
                out[i] = acc;
            }
            tmp[r - rowFrom] = out;
        }
        // Pass 2: vertical, outside rows as air.
        float[] result = new float[size * size];
        for (int y = 0; y < size; y++) {
            float[] w = vertical.weights[y];
            int outBase = y * size;
            Arrays.fill(result, outBase, outBase + size, vertical.outside[y] * fill);
            for (int k = 0; k < w.length; k++) {
                float wk = w[k];
                float[] row = tmp[vertical.first[y] + k - rowFrom];
                for (int x = 0; x < size; x++) result[outBase + x] += wk * row[x];
            }
        }
        return result;
    }
}
