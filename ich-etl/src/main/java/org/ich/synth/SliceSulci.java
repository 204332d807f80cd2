package org.ich.synth;

import java.util.Arrays;

/**
 * The sulci as they cross one slice, with a look-up by angle so each cortical pixel tests only the few sulci near
 * it instead of all thirty-odd.
 */
final class SliceSulci {
    private static final int BINS = 256;
    /** Sulci lean by this many radians per 20 mm of depth times their twist. */
    private static final double TWIST_SCALE = 1 / 20.0;
    /** Angular slack beyond a sulcus' own extent: covers the cortex around it and a widened, blood-filled sulcus. */
    private static final double SLACK = 0.25;

    private final double[] angle, twist, depth, halfWidth;
    private final int[][] candidates = new int[BINS][];
    private final double reach;

    SliceSulci(HeadAnatomy head, double z) {
        HeadAnatomy.Sulcus[] sulci = head.sulci;
        int n = sulci.length;
        angle = new double[n]; twist = new double[n]; depth = new double[n]; halfWidth = new double[n];
        double deepest = 0;
        for (int j = 0; j < n; j++) {
            angle[j] = sulci[j].angleAt(z);
            twist[j] = sulci[j].twist();
            depth[j] = sulci[j].depthAt(z);
            halfWidth[j] = sulci[j].halfWidth();
            deepest = Math.max(deepest, depth[j]);
        }
        reach = deepest + head.cortexThickness + 2;
        double binHalf = Math.PI / BINS;
        for (int b = 0; b < BINS; b++) {
            double centre = -Math.PI + (b + 0.5) * 2 * Math.PI / BINS;
            int[] list = new int[n];
            int count = 0;
            for (int j = 0; j < n; j++) {
                double lean = Math.abs(twist[j]) * reach * TWIST_SCALE;
                if (Bleed.angleBetween(centre, angle[j]) < binHalf + lean + SLACK) list[count++] = j;
            }
            candidates[b] = Arrays.copyOf(list, count);
        }
    }

    /** Sets the voxel's nearest-sulcus fields; pixels deeper than any sulcus reaches get an infinite distance. */
    void locate(Voxel v) {
        v.sulcusDistance = Double.POSITIVE_INFINITY;
        v.sulcusDepth = 0;
        v.sulcusHalfWidth = 0;
        if (v.depth > reach) return;
        int bin = (int) ((v.theta + Math.PI) / (2 * Math.PI) * BINS);
        if (bin >= BINS) bin = BINS - 1;
        if (bin < 0) bin = 0;
        for (int j : candidates[bin]) {
            double a = angle[j] + twist[j] * v.depth * TWIST_SCALE;
            double d = Bleed.angleBetween(v.theta, a) * v.r;
            if (d < v.sulcusDistance) {
                v.sulcusDistance = d;
                v.sulcusDepth = depth[j];
                v.sulcusHalfWidth = halfWidth[j];
            }
        }
    }
}
