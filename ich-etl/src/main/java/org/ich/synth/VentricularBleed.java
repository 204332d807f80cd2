package org.ich.synth;

/**
 * Intraventricular blood: it settles in the dependent part of a lateral ventricle, which for a supine patient is
 * the posterior (occipital) end, so it fills the ventricle behind a cut along its long axis.
 */
record VentricularBleed(double hu, int side, double cut, double zMin, double zMax) implements Bleed {

    static VentricularBleed draw(HeadAnatomy head, SeededRandom r) {
        HeadAnatomy.Ventricle v = head.ventricles[r.chance(0.5) ? 0 : 1];
        return new VentricularBleed(r.uniform(58, 78), v.side(), r.uniform(-0.35, 0.15), v.cz() - v.halfHeight(), v.cz() + v.halfHeight());
    }

    @Override
    public BleedType type() { return BleedType.INTRAVENTRICULAR; }

    @Override
    public Effect effect(Voxel v) {
        return v.ventricleSide == side && v.ventricleAlong > cut ? Effect.BLOOD : Effect.NONE;
    }
}
