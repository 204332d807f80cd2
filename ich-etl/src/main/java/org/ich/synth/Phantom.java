package org.ich.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Renders one patient's head, slice by slice, in Hounsfield units on the pixel grid of their series.
 *
 * <p>Per-pixel head-frame coordinates (including the angle, which costs an atan2) are computed once per patient,
 * since every slice shares the grid; each slice then needs only arithmetic. Noise comes from a stream keyed by
 * (seed, patient, slice), so slices render identically in any order or thread.
 */
public final class Phantom {
    private final PatientPlan plan;
    private final HeadAnatomy head;
    private final SeriesPlan series;
    private final float[] xs, ys, rs, thetas;

    public Phantom(PatientPlan plan) {
        this.plan = plan;
        this.head = plan.anatomy();
        this.series = plan.series();
        int rows = series.rows(), cols = series.columns(), n = rows * cols;
        xs = new float[n]; ys = new float[n]; rs = new float[n]; thetas = new float[n];
        double ps = series.pixelSpacing();
        double cos = StrictMath.cos(head.yaw), sin = StrictMath.sin(head.yaw);
        for (int i = 0; i < rows; i++) {
            double py = (i - (rows - 1) / 2.0) * ps - head.offsetY;
            for (int j = 0; j < cols; j++) {
                double px = (j - (cols - 1) / 2.0) * ps - head.offsetX;
                double x = cos * px + sin * py, y = -sin * px + cos * py;
                int p = i * cols + j;
                xs[p] = (float) x;
                ys[p] = (float) y;
                rs[p] = (float) Math.sqrt(x * x + y * y);
                thetas[p] = (float) StrictMath.atan2(y, x);
            }
        }
    }

    public RenderedSlice render(int slice) {
        int n = xs.length;
        double z = series.headZ(slice);
        short[] hu = new short[n];
        byte[] bleedMap = new byte[n];
        int[] bleedPixels = new int[BleedType.values().length];
        float[] noise = new float[n];
        GaussianNoise.fill(SeededRandom.derive(plan.seed(), "noise", plan.index(), slice), noise);

        double[] skin = head.section(0, z), outer = head.section(1, z), inner = head.section(2, z);
        SliceSulci sulci = inner == null ? null : new SliceSulci(head, z);
        List<Bleed> bleeds = new ArrayList<>();
        for (Bleed b : plan.bleeds()) if (z >= b.zMin() && z <= b.zMax()) bleeds.add(b);
        HeadAnatomy.Ventricle[] ventricles = Arrays.stream(head.ventricles)
                .filter(v -> Math.abs(z - v.cz()) < v.halfHeight()).toArray(HeadAnatomy.Ventricle[]::new);
        Voxel v = new Voxel();
        v.z = z;

        for (int p = 0; p < n; p++) {
            double x = xs[p], y = ys[p];
            double value;
            // Squared normalised radius in each shell's cross-section; infinite where the slice misses the shell.
            double q0 = skin == null ? Double.POSITIVE_INFINITY : sq(x / skin[0]) + sq(y / skin[1]);
            double q1 = outer == null ? Double.POSITIVE_INFINITY : sq(x / outer[0]) + sq(y / outer[1]);
            double q2 = inner == null ? Double.POSITIVE_INFINITY : sq(x / inner[0]) + sq(y / inner[1]);
            if (q0 >= 1) {
                value = CtEncoding.MIN_HU;
            } else if (q1 >= 1) {
                value = head.scalpHu;
            } else if (q2 >= 1) {
                value = bone(q1, q2);
            } else {
                v.x = x; v.y = y; v.r = rs[p]; v.theta = thetas[p];
                double rho = Math.sqrt(q2);
                v.depth = rho < 1e-9 ? Math.min(inner[0], inner[1]) : v.r / rho - v.r;
                sulci.locate(v);
                classify(v, ventricles);
                value = tissueHu(v.tissue);
                // Blood wins over edema whatever the order; among bleeds the last one listed wins.
                boolean blood = false;
                for (Bleed b : bleeds) {
                    Bleed.Effect e = b.effect(v);
                    if (e == Bleed.Effect.BLOOD) {
                        value = b.hu();
                        bleedMap[p] = (byte) (b.type().ordinal() + 1);
                        blood = true;
                    } else if (e == Bleed.Effect.EDEMA && !blood) {
                        value = head.edemaHu;
                    }
                }
                if (bleedMap[p] != 0) bleedPixels[bleedMap[p] - 1]++;
            }
            hu[p] = clampHu(value + head.noiseSd * noise[p]);
        }
        return new RenderedSlice(series.rows(), series.columns(), hu, bleedMap, bleedPixels,
                RenderedSlice.minBleedPixels(series.pixelSpacing()));
    }

    /** Dense outer and inner tables with softer diploe between them; q are the squared ellipse radii of the pixel. */
    private double bone(double q1, double q2) {
        double inv1 = 1 / Math.sqrt(q1), inv2 = 1 / Math.sqrt(q2);
        double f = q1 < 1e-12 ? 1 : (inv1 - 1) / (inv1 - inv2);
        double t = Math.abs(2 * f - 1);
        return head.diploeHu + (head.corticalBoneHu - head.diploeHu) * t * Math.sqrt(t);
    }

    private void classify(Voxel v, HeadAnatomy.Ventricle[] ventricles) {
        v.ventricleSide = 0;
        for (HeadAnatomy.Ventricle vent : ventricles) {
            double along = vent.along(v.x, v.y, v.z);
            if (!Double.isNaN(along)) {
                v.tissue = Voxel.Tissue.VENTRICLE;
                v.ventricleSide = vent.side();
                v.ventricleAlong = along;
                return;
            }
        }
        double cortex = head.cortexThickness;
        if (v.depth < head.csfLayer) {
            v.tissue = Voxel.Tissue.SURFACE_CSF;
        } else if (v.sulcusDistance < v.sulcusHalfWidth && v.depth < v.sulcusDepth) {
            v.tissue = Voxel.Tissue.SULCUS;
        } else if (v.depth < head.csfLayer + cortex
                || (v.sulcusDistance < v.sulcusHalfWidth + cortex && v.depth < v.sulcusDepth + cortex)) {
            v.tissue = Voxel.Tissue.GREY;
        } else if (head.deepGrey[0].contains(v.x, v.y, v.z) || head.deepGrey[1].contains(v.x, v.y, v.z)) {
            v.tissue = Voxel.Tissue.DEEP_GREY;
        } else {
            v.tissue = Voxel.Tissue.WHITE;
        }
    }

    private double tissueHu(Voxel.Tissue t) {
        return switch (t) {
            case SURFACE_CSF, SULCUS, VENTRICLE -> head.csfHu;
            case GREY -> head.greyHu;
            case DEEP_GREY -> head.deepGreyHu;
            case WHITE -> head.whiteHu;
        };
    }

    private static short clampHu(double hu) {
        long v = Math.round(hu);
        return (short) Math.max(CtEncoding.MIN_HU, Math.min(CtEncoding.MAX_HU, v));
    }

    private static double sq(double a) {
        return a * a;
    }
}
