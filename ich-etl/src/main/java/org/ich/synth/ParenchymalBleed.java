package org.ich.synth;

import org.ich.synth.HeadAnatomy.Ellipsoid;

/**
 * An intraparenchymal hematoma: an irregular clot (a main ellipsoid and two smaller lobes) ringed by hypodense
 * edema, placed deep in a hemisphere and kept off the brain surface.
 */
record ParenchymalBleed(double hu, Ellipsoid core, Ellipsoid lobeA, Ellipsoid lobeB, Ellipsoid edema) implements Bleed {

    static ParenchymalBleed draw(HeadAnatomy head, SeededRandom r) {
        double innerZ = head.innerHalfHeight();
        double z = innerZ * r.uniform(-0.15, 0.45);
        double[] section = head.section(2, z);
        double phi = r.uniform(-Math.PI, Math.PI), rho = r.uniform(0.25, 0.5);
        double cx = rho * section[0] * StrictMath.cos(phi), cy = rho * section[1] * StrictMath.sin(phi);
        double rx = r.uniform(8, 15), ry = r.uniform(8, 15), rz = r.uniform(11, 17);
        Ellipsoid core = new Ellipsoid(cx, cy, z, rx, ry, rz);
        Ellipsoid lobeA = lobe(core, r), lobeB = lobe(core, r);
        double grow = r.uniform(1.3, 1.5);
        return new ParenchymalBleed(r.uniform(60, 85), core, lobeA, lobeB, new Ellipsoid(cx, cy, z, rx * grow, ry * grow, rz * 1.2));
    }

    private static Ellipsoid lobe(Ellipsoid core, SeededRandom r) {
        double k = r.uniform(0.45, 0.7);
        return new Ellipsoid(core.cx() + core.rx() * r.uniform(-0.6, 0.6), core.cy() + core.ry() * r.uniform(-0.6, 0.6),
                core.cz() + core.rz() * r.uniform(-0.3, 0.3), core.rx() * k, core.ry() * k, core.rz() * k);
    }

    @Override
    public BleedType type() { return BleedType.INTRAPARENCHYMAL; }

    @Override
    public double zMin() { return edema.cz() - edema.rz(); }

    @Override
    public double zMax() { return edema.cz() + edema.rz(); }

    @Override
    public Effect effect(Voxel v) {
        if (v.depth < 2) return Effect.NONE;
        if (core.contains(v.x, v.y, v.z) || lobeA.contains(v.x, v.y, v.z) || lobeB.contains(v.x, v.y, v.z)) return Effect.BLOOD;
        return edema.contains(v.x, v.y, v.z) && v.isParenchyma() ? Effect.EDEMA : Effect.NONE;
    }
}
