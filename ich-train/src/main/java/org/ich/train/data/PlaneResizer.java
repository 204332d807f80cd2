package org.ich.train.data;

/**
 * Resizes each plane of a uint8 CHW tensor with a separable linear (triangle) filter. When shrinking,
 * the filter widens with the scale, so 256 -> 64 px averages each 4 x 4 neighbourhood the way the ETL's
 * own resize does instead of sampling every fourth pixel, which would drop thin bleeds. Edges repeat the
 * border pixel.
 */
public final class PlaneResizer {

    private PlaneResizer() {
    }

    public static byte[] resize(byte[] chw, int channels, int from, int to) {
        if (from == to) {
            return chw;
        }
        int[][] taps = new int[to][];
        float[][] weights = new float[to][];
        plan(from, to, taps, weights);
        int inPlane = from * from;
        int outPlane = to * to;
        byte[] out = new byte[channels * outPlane];
        float[] rows = new float[from * to];
        for (int c = 0; c < channels; c++) {
            int in = c * inPlane;
            // Horizontal pass: every source row to the new width.
            for (int y = 0; y < from; y++) {
                for (int x = 0; x < to; x++) {
                    float acc = 0;
                    for (int k = 0; k < taps[x].length; k++) {
                        acc += weights[x][k] * (chw[in + y * from + taps[x][k]] & 0xFF);
                    }
                    rows[y * to + x] = acc;
                }
            }
            // Vertical pass.
            int base = c * outPlane;
            for (int y = 0; y < to; y++) {
                for (int x = 0; x < to; x++) {
                    float acc = 0;
                    for (int k = 0; k < taps[y].length; k++) {
                        acc += weights[y][k] * rows[taps[y][k] * to + x];
                    }
                    out[base + y * to + x] = (byte) Math.min(255, Math.max(0, Math.round(acc)));
                }
            }
        }
        return out;
    }

    /** Source indices and normalised weights for each output position along one axis. */
    private static void plan(int from, int to, int[][] taps, float[][] weights) {
        double scale = (double) from / to;
        double support = Math.max(1.0, scale);
        for (int i = 0; i < to; i++) {
            double centre = (i + 0.5) * scale - 0.5;
            int lo = (int) Math.ceil(centre - support);
            int hi = (int) Math.floor(centre + support);
            int n = hi - lo + 1;
            int[] t = new int[n];
            float[] w = new float[n];
            double sum = 0;
            for (int j = lo; j <= hi; j++) {
                double weight = Math.max(0, 1 - Math.abs(j - centre) / support);
                t[j - lo] = Math.min(from - 1, Math.max(0, j));
                w[j - lo] = (float) weight;
                sum += weight;
            }
            for (int k = 0; k < n; k++) {
                w[k] /= (float) sum;
            }
            taps[i] = t;
            weights[i] = w;
        }
    }
}
