package org.ich.synth;

/**
 * One phantom slice: Hounsfield units row-major, and which bleed (if any) each pixel belongs to.
 *
 * @param hu          HU per pixel, all within [{@link CtEncoding#MIN_HU}, {@link CtEncoding#MAX_HU}]
 * @param bleedMap    0 for no blood, otherwise {@link BleedType#ordinal()} + 1
 * @param bleedPixels pixel count per {@link BleedType}, by ordinal
 * @param minBleedPixels a subtype is labelled on this slice when more pixels than this show it
 */
public record RenderedSlice(int rows, int columns, short[] hu, byte[] bleedMap, int[] bleedPixels, int minBleedPixels) {
    /** Fewest pixels a labelled bleed covers on a slice, whatever the matrix. */
    public static final int MIN_BLEED_PIXELS = 20;
    /**
     * Smallest labelled bleed area. On a fine matrix 20 pixels are a sliver no one sees once the slice is shrunk to
     * 64 pixels; an area floor keeps such tips unlabelled and gives a bleed the same labels at any matrix size.
     */
    public static final double MIN_BLEED_AREA_MM2 = 30;

    /** The labelling threshold for a grid with this pixel spacing. */
    public static int minBleedPixels(double pixelSpacing) {
        return Math.max(MIN_BLEED_PIXELS, (int) Math.ceil(MIN_BLEED_AREA_MM2 / (pixelSpacing * pixelSpacing)));
    }

    public boolean positive(BleedType type) {
        return bleedPixels[type.ordinal()] > minBleedPixels;
    }

    public boolean any() {
        for (BleedType t : BleedType.values()) if (positive(t)) return true;
        return false;
    }

    /** Share of pixels with 0 < HU < 80, the measure the ETL uses to call a slice empty. */
    public double softTissueFraction() {
        return softTissueFraction(hu);
    }

    public static double softTissueFraction(short[] hu) {
        int n = 0;
        for (short v : hu) if (v > 0 && v < 80) n++;
        return (double) n / hu.length;
    }
}
