package org.ich.pixel;

/**
 * A display window (center/width in HU) mapped to one byte: 0 at center - width/2, 255 at center + width/2,
 * linear and clamped in between. This is how each tensor channel is stored.
 */
public record Window(String name, double center, double width) implements java.io.Serializable {
    public Window {
        if (!(width > 0)) throw new IllegalArgumentException("window " + name + ": width must be > 0, got " + width);
    }

    public double low() {
        return center - width / 2;
    }

    @Override
    public String toString() {
        return name + ":" + fmt(center) + ":" + fmt(width);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
