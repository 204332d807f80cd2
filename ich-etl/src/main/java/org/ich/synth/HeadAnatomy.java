package org.ich.synth;

/**
 * One patient's head: nested ellipsoids for skin, outer and inner skull table, plus ventricles, deep grey nuclei and
 * cortical sulci, all in a head frame measured in mm (x towards the patient's left, y posterior, z superior, origin
 * at the centre of the skull). Tissue values are in HU and vary a little between patients, as they do between
 * scanners and ages.
 */
final class HeadAnatomy {
    /** Skin, outer table, inner table: semi-axes (x, y, z) in mm. */
    final double[][] shells = new double[3][3];
    final double csfLayer, cortexThickness;
    final double scalpHu, corticalBoneHu, diploeHu, greyHu, whiteHu, deepGreyHu, csfHu, edemaHu, noiseSd;
    /** Patient placement in the scanner: head-centre offset from the isocentre (mm) and in-plane rotation (rad). */
    final double offsetX, offsetY, yaw;
    final Ventricle[] ventricles;
    final Ellipsoid[] deepGrey;
    final Sulcus[] sulci;

    /** A lateral ventricle (or the slit-like third one): an ellipsoid whose long axis turns outwards posteriorly. */
    record Ventricle(int side, double cx, double cy, double cz, double halfLength, double halfWidth, double halfHeight,
                     double sin, double cos) {
        static Ventricle of(int side, double cx, double cy, double cz, double halfLength, double halfWidth, double halfHeight, double tilt) {
            return new Ventricle(side, cx, cy, cz, halfLength, halfWidth, halfHeight, StrictMath.sin(tilt), StrictMath.cos(tilt));
        }

        /** Position along the long axis, -1 (anterior tip) to 1 (posterior tip), or NaN when outside. */
        double along(double x, double y, double z) {
            double dx = x - cx, dy = y - cy, dz = z - cz;
            double a = (side * sin * dx + cos * dy) / halfLength;
            double b = (cos * dx - side * sin * dy) / halfWidth;
            double c = dz / halfHeight;
            return a * a + b * b + c * c < 1 ? a : Double.NaN;
        }
    }

    record Ellipsoid(double cx, double cy, double cz, double rx, double ry, double rz) {
        boolean contains(double x, double y, double z) {
            double a = (x - cx) / rx, b = (y - cy) / ry, c = (z - cz) / rz;
            return a * a + b * b + c * c < 1;
        }
    }

    /**
     * A radial cleft of CSF running in from the brain surface; its angle drifts and its depth swells along z so that
     * neighbouring slices differ, as gyri do.
     */
    record Sulcus(double angle, double twist, double drift, double driftPhase, double depth, double depthPhase, double halfWidth) {
        double angleAt(double z) { return angle + drift * StrictMath.sin(z / 13.0 + driftPhase); }

        double depthAt(double z) { return depth * (0.75 + 0.25 * StrictMath.sin(z / 9.0 + depthPhase)); }
    }

    HeadAnatomy(SeededRandom r) {
        double ax = r.uniform(68, 76), ay = r.uniform(86, 96), az = r.uniform(70, 80);
        double scalp = r.uniform(4, 6), skull = r.uniform(5, 8);
        double[] inward = {0, scalp, scalp + skull};
        for (int s = 0; s < 3; s++) {
            shells[s][0] = ax - inward[s];
            shells[s][1] = ay - inward[s];
            shells[s][2] = az - inward[s];
        }
        csfLayer = r.uniform(0.8, 1.5);
        cortexThickness = r.uniform(2.5, 3.5);
        scalpHu = r.uniform(35, 45);
        corticalBoneHu = r.uniform(1300, 1500);
        diploeHu = r.uniform(720, 900);
        whiteHu = r.uniform(25, 30);
        greyHu = whiteHu + r.uniform(8, 11);
        deepGreyHu = whiteHu + r.uniform(5, 8);
        csfHu = r.uniform(3, 8);
        edemaHu = r.uniform(16, 21);
        noiseSd = r.uniform(4, 6);
        offsetX = r.uniform(-6, 6);
        offsetY = r.uniform(-8, 8);
        yaw = Math.toRadians(r.uniform(-8, 8));

        double innerZ = shells[2][2];
        double vz = innerZ * r.uniform(0.10, 0.20), vy = r.uniform(-6, 2);
        double vLength = r.uniform(20, 27), vWidth = r.uniform(5.5, 8.5), vHeight = innerZ * r.uniform(0.26, 0.32);
        // Far enough from the midline that the two frontal horns stay apart (the septum pellucidum between them).
        double vLateral = vWidth + r.uniform(3, 5), vTilt = Math.toRadians(r.uniform(6, 12));
        ventricles = new Ventricle[] {
                Ventricle.of(+1, vLateral, vy, vz, vLength, vWidth, vHeight, vTilt),
                Ventricle.of(-1, -vLateral, vy, vz, vLength * r.uniform(0.92, 1.08), vWidth * r.uniform(0.9, 1.1), vHeight, vTilt),
                Ventricle.of(0, 0, vy + 10, vz - vHeight * 0.6, 11, 1.6, 9, 0)};
        deepGrey = new Ellipsoid[] {
                new Ellipsoid(11, vy + 12, vz - vHeight * 0.55, 7, 11, 10),
                new Ellipsoid(-11, vy + 12, vz - vHeight * 0.55, 7, 11, 10)};

        // Two deep midline clefts (the interhemispheric fissure in front and behind) plus ordinary sulci around.
        int n = r.between(26, 34);
        double width = r.uniform(0.6, 1.0);
        sulci = new Sulcus[n + 2];
        sulci[0] = new Sulcus(-Math.PI / 2, 0, 0.01, 0, r.uniform(28, 34), r.uniform(0, 6.28), width);
        sulci[1] = new Sulcus(Math.PI / 2, 0, 0.01, 0, r.uniform(24, 30), r.uniform(0, 6.28), width);
        for (int j = 0; j < n; j++) {
            double angle = -Math.PI + 2 * Math.PI * (j + r.uniform(-0.3, 0.3)) / n;
            sulci[j + 2] = new Sulcus(angle, r.uniform(-0.12, 0.12), r.uniform(0.02, 0.06), r.uniform(0, 6.28),
                    r.uniform(9, 19), r.uniform(0, 6.28), width * r.uniform(0.8, 1.25));
        }
    }

    /** Semi-axes of shell {@code s} cut at height z, or null above or below it. */
    double[] section(int s, double z) {
        double[] e = shells[s];
        double t = z / e[2];
        if (t * t >= 1) return null;
        double k = Math.sqrt(1 - t * t);
        return new double[] {e[0] * k, e[1] * k};
    }

    /** Half-height of the skull cavity, the range bleeds and ventricles are placed in. */
    double innerHalfHeight() {
        return shells[2][2];
    }
}
