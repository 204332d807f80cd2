package org.ich.synth;

/**
 * Epidural and subdural hematomas: blood between brain and skull, its thickness a function of the angle around
 * the head and of z. An epidural bleed is short and thick with a convex inner border (a lens, because the dura is
 * stripped from the bone only locally); a subdural bleed spreads thinly along much of the hemisphere (a crescent).
 */
record ConvexityBleed(BleedType type, double hu, double angle, double halfArc, double maxThickness, double zCentre,
                      double halfHeight) implements Bleed {

    static ConvexityBleed epidural(HeadAnatomy head, SeededRandom r) {
        double radius = (head.shells[2][0] + head.shells[2][1]) / 2;
        return new ConvexityBleed(BleedType.EPIDURAL, r.uniform(62, 85), lateralAngle(r), r.uniform(20, 30) / radius,
                r.uniform(10, 17), head.innerHalfHeight() * r.uniform(-0.15, 0.45), r.uniform(16, 24));
    }

    static ConvexityBleed subdural(HeadAnatomy head, SeededRandom r) {
        double radius = (head.shells[2][0] + head.shells[2][1]) / 2;
        return new ConvexityBleed(BleedType.SUBDURAL, r.uniform(58, 78), lateralAngle(r), r.uniform(45, 75) / radius,
                r.uniform(6, 11), head.innerHalfHeight() * r.uniform(-0.05, 0.4), r.uniform(26, 38));
    }

    /** Centred over a temporal or parietal convexity, where both hematomas are most often found. */
    private static double lateralAngle(SeededRandom r) {
        return (r.chance(0.5) ? 0 : Math.PI) + r.uniform(-0.8, 0.8);
    }

    @Override
    public double zMin() { return zCentre - halfHeight; }

    @Override
    public double zMax() { return zCentre + halfHeight; }

    @Override
    public Effect effect(Voxel v) {
        double a = Bleed.angleBetween(v.theta, angle) / halfArc;
        double h = (v.z - zCentre) / halfHeight;
        double thickness;
        if (type == BleedType.EPIDURAL) {
            double q = 1 - a * a - h * h;
            if (q <= 0) return Effect.NONE;
            thickness = maxThickness * Math.sqrt(q);
        } else {
            double along = 1 - a * a, across = 1 - h * h * h * h;
            if (along <= 0 || across <= 0) return Effect.NONE;
            // A fourth root keeps the crescent nearly even in thickness until its tapered ends.
            thickness = maxThickness * Math.sqrt(Math.sqrt(along * across));
        }
        return v.depth < thickness ? Effect.BLOOD : Effect.NONE;
    }
}
