package org.ich.train.model;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/**
 * An occlusion-sensitivity map of one slice for one label ({@link Occlusion}): for each tensor pixel, the mean drop in
 * probability (p of the whole slice minus p with a patch over that pixel hidden) over the patches covering it.
 * Positive = the network's evidence for the label lies there; negative = hiding it raised the probability.
 *
 * @param size     height and width, those of the slice tensor
 * @param values   row-major size x size drops in probability, unclamped
 * @param peakRow  row of the largest value (the first in row-major order on ties)
 * @param peakCol  its column
 * @param baseline the scorer's value (p(label), or its log-odds) for the slice as it is
 */
public record Heatmap(int size, float[] values, int peakRow, int peakCol, double baseline) {
    /** Each tensor pixel becomes SCALE x SCALE pixels of the overlay. */
    public static final int SCALE = 4;
    /** Opacity of the map where it is largest; it fades linearly to clear at 0. */
    static final double MAX_ALPHA = 0.6;
    /** Half the length of the peak's cross arms, in overlay pixels. */
    static final int CROSS = 6;

    public Heatmap {
        if (values.length != size * size) {
            throw new IllegalArgumentException("heatmap has " + values.length + " values, expected " + size + " x " + size);
        }
    }

    /** A map with its peak found: argmax, ties going to the first in row-major order. */
    public static Heatmap of(int size, float[] values, double baseline) {
        int peak = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[peak]) peak = i;
        return new Heatmap(size, values, peak / size, peak % size, baseline);
    }

    public float value(int row, int col) {
        return values[row * size + col];
    }

    public float peak() {
        return values[peakRow * size + peakCol];
    }

    /**
     * The slice's channel 0 (the brain window as ich stacks them) in grey, with the positive part of the map on top
     * in translucent red (small) to yellow (the peak), {@link #SCALE}x larger with nearest neighbour, and a cyan cross
     * on the peak. The colours are scaled to this map's own peak; a map without a positive value shows the slice only.
     *
     * @param tensor the slice the map was made from, uint8 C x size x size
     */
    public byte[] overlayPng(byte[] tensor, int channels, int size) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(overlay(tensor, channels, size), "png", png)) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** {@link #overlayPng} as an image, for pages that write their own files. */
    public BufferedImage overlay(byte[] tensor, int channels, int size) {
        if (size != this.size) throw new IllegalArgumentException("tensor is " + size + " px, the heatmap " + this.size);
        if (channels < 1 || tensor.length != channels * size * size) {
            throw new IllegalArgumentException("tensor has " + tensor.length + " bytes, expected " + channels + " x " + size
                    + " x " + size);
        }
        float top = 0;
        for (float v : values) if (v > top) top = v;
        int out = size * SCALE;
        BufferedImage image = new BufferedImage(out, out, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int grey = tensor[y * size + x] & 0xFF;
                double r = grey, g = grey, b = grey;
                float v = values[y * size + x];
                if (top > 0 && v > 0) {
                    double t = v / top, alpha = MAX_ALPHA * t;
                    r = (1 - alpha) * r + alpha * 255;
                    g = (1 - alpha) * g + alpha * 255 * t;
                    b = (1 - alpha) * b;
                }
                int rgb = (int) Math.round(r) << 16 | (int) Math.round(g) << 8 | (int) Math.round(b);
                for (int dy = 0; dy < SCALE; dy++) for (int dx = 0; dx < SCALE; dx++) image.setRGB(x * SCALE + dx, y * SCALE + dy, rgb);
            }
        }
        int cy = peakRow * SCALE + SCALE / 2, cx = peakCol * SCALE + SCALE / 2;
        for (int d = -CROSS; d <= CROSS; d++) {
            if (cx + d >= 0 && cx + d < out) image.setRGB(cx + d, cy, 0x00FFFF);
            if (cy + d >= 0 && cy + d < out) image.setRGB(cx, cy + d, 0x00FFFF);
        }
        return image;
    }
}
