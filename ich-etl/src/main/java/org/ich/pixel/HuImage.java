package org.ich.pixel;

/**
 * A slice in Hounsfield units, row-major, with the rescale that produced it.
 *
 * @param appliedIntercept the intercept actually used (differs from the stored one when the RSNA fix applied)
 * @param interceptFixed   true when the bad-intercept fix rewrote the pixels
 */
public record HuImage(float[] hu, int rows, int columns, double appliedSlope, double appliedIntercept, boolean interceptFixed) {
}
