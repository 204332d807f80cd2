package org.ich.pixel;

import java.util.List;

/**
 * The slice tensor as stored in the {@code tensor} column: uint8, channel-major (C x S x S, "CHW"), one channel per
 * window in the configured order, each byte = window-scaled HU (0 = window low, 255 = window high). Readers divide
 * by 255 to get [0,1] floats. 3 windows at 256 px take 196,608 bytes per slice.
 */
public final class TensorCodec {
    public static final String LAYOUT = "CHW";
    public static final String DTYPE = "uint8";
    public static final String SCALING = "byte = round(255 * clamp((HU - (center - width/2)) / width, 0, 1))";

    private TensorCodec() {}

    public static byte[] encode(float[] hu, List<Window> windows) {
        int plane = hu.length;
        byte[] out = new byte[plane * windows.size()];
        for (int c = 0; c < windows.size(); c++) {
            Window w = windows.get(c);
            int base = c * plane;
            // Window constants hoisted: this loop runs C x S x S times per slice.
            float low = (float) w.low();
            float scale = (float) (255.0 / w.width());
            for (int i = 0; i < plane; i++) {
                int v = (int) ((hu[i] - low) * scale + 0.5f); // truncation only matters below 0, which clamps anyway
                out[base + i] = (byte) Math.min(255, Math.max(0, v));
            }
        }
        return out;
    }

    /** Channel c of a stored tensor as floats in [0,1]. */
    public static float[] channel(byte[] tensor, int c, int size) {
        int plane = size * size;
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) out[i] = (tensor[c * plane + i] & 0xFF) / 255f;
        return out;
    }
}
