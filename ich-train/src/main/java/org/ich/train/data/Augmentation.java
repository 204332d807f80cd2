package org.ich.train.data;

import java.io.Serializable;
import java.util.Random;

import org.ich.config.Settings;

/**
 * Random geometric augmentation of training slices: a left-right flip (heads are nearly symmetric and
 * bleeds occur on either side), a small rotation, zoom and shift, all in one bilinear warp. Areas moved in
 * from outside read as 0, which is air in every window. Validation and scoring never go through this.
 *
 * @param flipProbability chance of a left-right flip
 * @param maxRotation     degrees, drawn uniformly in [-maxRotation, maxRotation]
 * @param maxZoom         scale drawn in [1 - maxZoom, 1 + maxZoom]
 * @param maxShift        fraction of the side, each axis drawn in [-maxShift, maxShift]
 */
public record Augmentation(double flipProbability, double maxRotation, double maxZoom, double maxShift)
        implements Serializable {

    public static final Augmentation NONE = new Augmentation(0, 0, 0, 0);

    public static Augmentation from(Settings s) {
        if (!s.bool("ich.train.augment.enabled")) {
            return NONE;
        }
        return new Augmentation(s.number("ich.train.augment.flip", 0, 1),
                s.number("ich.train.augment.rotation", 0, 180),
                s.number("ich.train.augment.zoom", 0, 0.9),
                s.number("ich.train.augment.shift", 0, 0.5));
    }

    public boolean isNone() {
        return flipProbability == 0 && maxRotation == 0 && maxZoom == 0 && maxShift == 0;
    }

    /**
     * Warps a float CHW tensor (every channel alike) with parameters drawn from {@code random}; returns a
     * new array, or the input itself when the draw is the identity.
     */
    public float[] apply(float[] chw, int channels, int size, Random random) {
        boolean flip = random.nextDouble() < flipProbability;
        double angle = Math.toRadians(uniform(random, maxRotation));
        double zoom = 1 + uniform(random, maxZoom);
        double shiftX = uniform(random, maxShift) * size;
        double shiftY = uniform(random, maxShift) * size;
        if (!flip && angle == 0 && zoom == 1 && shiftX == 0 && shiftY == 0) {
            return chw;
        }
        // Inverse map: for each output pixel, where it came from in the input.
        double centre = (size - 1) / 2.0;
        double cos = Math.cos(angle) / zoom;
        double sin = Math.sin(angle) / zoom;
        int plane = size * size;
        float[] out = new float[chw.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = x - centre - shiftX;
                double v = y - centre - shiftY;
                double sx = cos * u + sin * v + centre;
                double sy = -sin * u + cos * v + centre;
                if (flip) {
                    sx = size - 1 - sx;
                }
                for (int c = 0; c < channels; c++) {
                    out[c * plane + y * size + x] = bilinear(chw, c * plane, size, sx, sy);
                }
            }
        }
        return out;
    }

    private static double uniform(Random random, double max) {
        return max == 0 ? 0 : (2 * random.nextDouble() - 1) * max;
    }

    private static float bilinear(float[] chw, int base, int size, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (float) ((1 - fy) * ((1 - fx) * at(chw, base, size, x0, y0) + fx * at(chw, base, size, x0 + 1, y0))
                + fy * ((1 - fx) * at(chw, base, size, x0, y0 + 1) + fx * at(chw, base, size, x0 + 1, y0 + 1)));
    }

    private static float at(float[] chw, int base, int size, int x, int y) {
        return x < 0 || y < 0 || x >= size || y >= size ? 0f : chw[base + y * size + x];
    }
}
