package org.ich.pixel;

/**
 * Stored pixel values to Hounsfield units: HU = value * slope + intercept, with the fix real archives need.
 *
 * <p>The RSNA "bad intercept" group (BitsStored 12, PixelRepresentation 0, RescaleIntercept above -100) stores
 * HU modulo 4096 with intercept 0, so air reads as ~3096 HU. Correcting only the intercept (as the seed notebooks
 * did) leaves the wrapped pixels wrong; the pixels themselves must be shifted by +1000 and wrapped at 4096, after
 * which intercept -1000 applies.
 */
public final class Rescale {
    static final int WRAP = 4096;
    static final int FIX_SHIFT = 1000;
    static final double FIXED_INTERCEPT = -1000;
    static final double BAD_INTERCEPT_ABOVE = -100;

    private Rescale() {}

    public static boolean needsInterceptFix(int bitsStored, int pixelRepresentation, double intercept) {
        return bitsStored == 12 && pixelRepresentation == 0 && intercept > BAD_INTERCEPT_ABOVE;
    }


    public static HuImage toHu(short[] stored, int rows, int columns, int bitsStored, int pixelRepresentation,
                               double slope, double intercept) {
        int n = rows * columns;
        float[] hu = new float[n];
        boolean fix = needsInterceptFix(bitsStored, pixelRepresentation, intercept);
        double appliedIntercept = fix ? FIXED_INTERCEPT : intercept;
        float s = (float) slope;
        float b = (float) appliedIntercept;
        int mask = bitsStored < 16 ? (1 << bitsStored) - 1 : 0xFFFF;
        // One branch-free loop per case: this runs over every pixel of every slice.
        if (fix) {
            for (int i = 0; i < n; i++) hu[i] = (((stored[i] & mask) + FIX_SHIFT) & (WRAP - 1)) * s + b;
        } else if (pixelRepresentation == 1) {
            int shift = 32 - bitsStored;
            for (int i = 0; i < n; i++) hu[i] = (((stored[i] & mask) << shift) >> shift) * s + b;
        } else {
            for (int i = 0; i < n; i++) hu[i] = (stored[i] & mask) * s + b;
        }
        return new HuImage(hu, rows, columns, slope, appliedIntercept, fix);
    }
}
