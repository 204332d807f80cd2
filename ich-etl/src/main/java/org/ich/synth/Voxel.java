package org.ich.synth;

/**
 * What the phantom knows about the pixel it is filling, handed to each bleed so shapes can be defined relative to
 * anatomy (distance from the inner skull table, the nearest sulcus, the ventricle a pixel lies in). One mutable
 * instance per rendering thread: a slice has hundreds of thousands of pixels, so nothing is allocated per pixel.
 */
final class Voxel {
    enum Tissue { SURFACE_CSF, SULCUS, GREY, WHITE, DEEP_GREY, VENTRICLE }

    /** Head-frame coordinates in mm, distance from the axis and angle (0 = patient's left, pi/2 = posterior). */
    double x, y, z, r, theta;
    /** In-plane distance inward from the inner skull table, mm. */
    double depth;
    Tissue tissue;
    /** Distance to the nearest sulcus' centre line (mm), that sulcus' depth and half-width; infinite away from the cortex. */
    double sulcusDistance, sulcusDepth, sulcusHalfWidth;
    /** Which lateral ventricle holds the pixel (+1 left, -1 right, 0 none) and where along its long axis (-1..1). */
    int ventricleSide;
    double ventricleAlong;

    boolean isParenchyma() {
        return tissue == Tissue.GREY || tissue == Tissue.WHITE || tissue == Tissue.DEEP_GREY;
    }
}
