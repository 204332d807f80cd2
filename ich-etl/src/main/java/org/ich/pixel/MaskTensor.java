package org.ich.pixel;

/**
 * A mask drawn on a slice's DICOM pixel grid (e.g. {@code ich synth}'s blood masks) carried onto the tensor's
 * size x size grid exactly as the ETL carries the slice's pixels: the same {@link CropBox} (found on the slice's HU,
 * with the ETL's head threshold and margin; see {@code SliceDecoder.cropBox}) and the same {@link Resampler} filter,
 * applied to the mask as a 0/1 plane with 0 outside the image. A tensor pixel is in the mapped mask when at least half
 * of its filter weight lies on masked pixels ({@link #THRESHOLD}), so a mask's area is kept roughly at any scale.
 */
public final class MaskTensor {
    /** Least share of a tensor pixel's filter weight on masked source pixels for it to count as masked. */
    public static final float THRESHOLD = 0.5f;

    private MaskTensor() {}

    /** @param mask row-major on the slice's pixel grid ({@code slice.rows() x slice.columns()}) */
    public static boolean[] map(boolean[] mask, HuImage slice, float headThresholdHu, int cropMargin, int size) {
        return map(mask, slice.rows(), slice.columns(), CropBox.find(slice, headThresholdHu, cropMargin), size);
    }

    /** With the crop the slice's pixels went through; row-major size x size. */
    public static boolean[] map(boolean[] mask, int rows, int columns, CropBox box, int size) {
        float[] cover = coverage(mask, rows, columns, box, size);
        boolean[] out = new boolean[cover.length];
        for (int i = 0; i < cover.length; i++) out[i] = cover[i] >= THRESHOLD;
        return out;
    }

    /** Share in [0, 1] (up to rounding) of each tensor pixel's filter weight that lies on masked pixels. */
    public static float[] coverage(boolean[] mask, int rows, int columns, CropBox box, int size) {
        if (mask.length != rows * columns) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, expected " + rows + "x" + columns);
        }
        float[] plane = new float[mask.length];
        for (int i = 0; i < mask.length; i++) plane[i] = mask[i] ? 1f : 0f;
        return Resampler.resize(plane, rows, columns, box, size, 0f);
    }
}
