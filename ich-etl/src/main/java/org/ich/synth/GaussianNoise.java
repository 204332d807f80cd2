package org.ich.synth;

/**
 * Standard normal samples by table look-up of the inverse CDF. Quantum noise is added to every pixel of every
 * slice, tens of millions of draws per cohort; a table indexed by 16 random bits gives four samples per 64-bit draw
 * and involves no transcendental call whose last bit could differ between JIT tiers.
 */
final class GaussianNoise {
    private static final int BITS = 16;
    private static final float[] QUANTILES = buildQuantiles();

    private GaussianNoise() {}

    /** Fills {@code out} with standard normal samples from {@code random}. */
    static void fill(SeededRandom random, float[] out) {
        int i = 0;
        while (i < out.length) {
            long bits = random.nextLong();
            for (int k = 0; k < 4 && i < out.length; k++, i++) {
                out[i] = QUANTILES[(int) (bits & 0xFFFF)];
                bits >>>= BITS;
            }
        }
    }

    /** Quantile at the centre of each of the 2^16 equal-probability cells, from a numerically integrated CDF. */
    private static float[] buildQuantiles() {
        int cells = 1 << BITS;
        double lo = -6.0, step = 1e-4;
        int steps = (int) Math.round(12.0 / step);
        float[] q = new float[cells];
        double cdf = 0, prevPdf = pdf(lo), x = lo;
        int cell = 0;
        for (int s = 1; s <= steps && cell < cells; s++) {
            double nx = lo + s * step;
            double pdf = pdf(nx);
            double next = cdf + 0.5 * (prevPdf + pdf) * step;
            while (cell < cells && next >= (cell + 0.5) / cells) {
                double target = (cell + 0.5) / cells;
                q[cell++] = (float) (x + (target - cdf) / (next - cdf) * step);
            }
            cdf = next;
            prevPdf = pdf;
            x = nx;
        }
        while (cell < cells) q[cell++] = (float) x;
        return q;
    }

    private static double pdf(double x) {
        return StrictMath.exp(-0.5 * x * x) / StrictMath.sqrt(2 * StrictMath.PI);
    }
}
