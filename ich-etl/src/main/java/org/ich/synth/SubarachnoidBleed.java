package org.ich.synth;

/**
 * Subarachnoid blood: it fills and widens the sulci over part of a convexity and coats the brain surface there,
 * giving bright lines that follow the gyri.
 */
record SubarachnoidBleed(double hu, double angle, double halfArc, double zCentre, double halfHeight, double lineHalfWidth)
        implements Bleed {

    static SubarachnoidBleed draw(HeadAnatomy head, SeededRandom r) {
        return new SubarachnoidBleed(r.uniform(60, 70), r.uniform(-Math.PI, Math.PI), r.uniform(0.6, 1.0),
                head.innerHalfHeight() * r.uniform(0.0, 0.5), r.uniform(16, 26), r.uniform(1.5, 2.0));
    }

    @Override
    public BleedType type() { return BleedType.SUBARACHNOID; }

    @Override
    public double zMin() { return zCentre - halfHeight; }

    @Override
    public double zMax() { return zCentre + halfHeight; }

    @Override
    public Effect effect(Voxel v) {
        if (Bleed.angleBetween(v.theta, angle) > halfArc) return Effect.NONE;
        boolean inSulcus = v.sulcusDistance < lineHalfWidth && v.depth < v.sulcusDepth + 1;
        return inSulcus || v.depth < 1.5 ? Effect.BLOOD : Effect.NONE;
    }
}
