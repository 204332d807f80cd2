package org.ich.pixel;

/**
 * Resizes a square crop of a HU image to size x size with a separable triangle (linear) filter whose support
 * widens with the downscale factor, so shrinking 512 px to 64 px averages instead of aliasing (like OpenCV's
 * INTER_AREA or PIL's antialiased bilinear). Pixels outside the image read as {@link #AIR_HU}.
 */
public final class Resampler {
    public static final float AIR_HU = -1000f;

    private Resampler() {}

    /** Source taps and normalised weights for each output position along one axis. */
    record Taps(int[] first, float[][] weights) {
        static Taps of(int srcOffset, int srcLength, int outLength) {
            double scale = (double) srcLength / outLength;
            double support = Math.max(1.0, scale);
            int[] first = new int[outLength];
            float[][] weights = new float[outLength][];
            for (int i = 0; i < outLength; i++) {
                double center = srcOffset + (i + 0.5) * scale - 0.5;
                int lo = (int) Math.ceil(center - support);
                int hi = (int) Math.floor(center + support);
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int j = lo; j <= hi; j++) {
                    double wj = Math.max(0, 1 - Math.abs(j - center) / support);
                    w[j - lo] = (float) wj;
                    sum += wj;
                }
                for (int k = 0; k < w.length; k++) w[k] /= (float) sum;
                first[i] = lo;
                weights[i] = w;
            }
            return new Taps(first, weights);
        }

        int firstSource() { return first[0]; }

        int lastSource() { return first[first.length - 1] + weights[weights.length - 1].length - 1; }
    }

    public static float[] resize(HuImage img, CropBox box, int size) {
        Taps horizontal = Taps.of(box.left(), box.side(), size);
        Taps vertical = Taps.of(box.top(), box.side(), size);
        int rowFrom = vertical.firstSource(), rowTo = vertical.lastSource();
        int cols = img.columns();
        float[] hu = img.hu();
        // Pass 1: every needed source row resampled horizontally; rows outside the image are air.
        float[][] tmp = new float[rowTo - rowFrom + 1][];
        float[] airRow = new float[size];
        java.util.Arrays.fill(airRow, AIR_HU);
        for (int r = rowFrom; r <= rowTo; r++) {
            if (r < 0 || r >= img.rows()) {
                tmp[r - rowFrom] = airRow;
                continue;
            }
            float[] out = new float[size];
            int base = r * cols;
            for (int i = 0; i < size; i++) {
                int c0 = horizontal.first[i];
                float[] w = horizontal.weights[i];
                float acc = 0;
                for (int k = 0; k < w.length; k++) {
                    int c = c0 + k;
                    acc += w[k] * (c < 0 || c >= cols ? AIR_HU : hu[base + c]);
                }
                out[i] = acc;
            }
            tmp[r - rowFrom] = out;
        }
        // Pass 2: vertical.
        float[] result = new float[size * size];
        for (int y = 0; y < size; y++) {
            int r0 = vertical.first[y] - rowFrom;
            float[] w = vertical.weights[y];
            int outBase = y * size;
            for (int k = 0; k < w.length; k++) {
                float wk = w[k];
                float[] row = tmp[r0 + k];
                for (int x = 0; x < size; x++) result[outBase + x] += wk * row[x];
            }
        }
        return result;
    }
}
