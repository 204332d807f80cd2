package org.ich.pixel;

/** The share of pixels inside the brain's HU range, used to flag near-empty top and bottom slices. */
public final class BrainWindow {
    static final float LOW = 0f;
    static final float HIGH = 80f;

    private BrainWindow() {}

    /** Fraction of pixels with 0 < HU < 80 (both bounds exclusive, as the seed's img_pct_window). */
    public static double fraction(float[] hu) {
        int inside = 0;
        // Branch-free: noisy brain pixels sit right at the bounds, where a branch would mispredict half the time.
        for (float v : hu) inside += (v > LOW ? 1 : 0) & (v < HIGH ? 1 : 0);
        return hu.length == 0 ? 0 : (double) inside / hu.length;
    }
}
