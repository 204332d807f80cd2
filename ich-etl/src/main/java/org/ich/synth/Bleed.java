package org.ich.synth;

/**
 * A 3D hemorrhage in head-frame mm. Each subtype is a shape defined against anatomy, so it lands where that
 * subtype does in real scans: against the skull, in the parenchyma, in a ventricle, along the sulci.
 */
sealed interface Bleed permits ConvexityBleed, ParenchymalBleed, VentricularBleed, SubarachnoidBleed {
    /** What a bleed does to one pixel. */
    enum Effect { NONE, BLOOD, EDEMA }

    BleedType type();

    /** Attenuation of the blood, HU (before noise). */
    double hu();

    /** Lowest and highest head-frame z the bleed reaches, so slices outside skip it cheaply. */
    double zMin();

    double zMax();

    Effect effect(Voxel v);

    /** Unsigned angle between two directions, in [0, pi]; avoids % on doubles, which is slow per pixel. */
    static double angleBetween(double a, double b) {
        double turn = 2 * Math.PI;
        double d = Math.abs(a - b);
        if (d >= turn) d -= turn * Math.floor(d / turn);
        return d > Math.PI ? turn - d : d;
    }
}
