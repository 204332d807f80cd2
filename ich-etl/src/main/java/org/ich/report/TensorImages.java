package org.ich.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** One channel of a stored slice tensor (uint8, C x S x S, row-major planes) as an 8-bit grayscale image. */
public final class TensorImages {
    private TensorImages() {}

    public static BufferedImage channel(byte[] tensor, int c, int size) {
        int plane = size * size;
        if (size <= 0 || c < 0 || tensor.length < (long) (c + 1) * plane) {
            throw new IllegalArgumentException("tensor of " + tensor.length + " bytes has no channel " + c + " of " + size + "x" + size);
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        // The bytes already are display values (window-scaled 0..255): copy them, no colour conversion.
        byte[] pixels = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(tensor, c * plane, pixels, 0, plane);
        return img;
    }

    /** Whether the tensor holds exactly the channels x size x size bytes its row declares. */
    public static boolean consistent(byte[] tensor, int channels, int size) {
        return tensor != null && channels > 0 && size > 0 && tensor.length == (long) channels * size * size;
    }

    /**
     * The first three channels as red, green and blue (for the default stack: brain, subdural and bone windows, so
     * blood, thin collections and fractures each tint the picture); a tensor with fewer channels shows its first.
     */
    public static BufferedImage composite(byte[] tensor, int channels, int size) {
        if (channels < 3) return channel(tensor, 0, size);
        int plane = size * size;
        if (size <= 0 || tensor.length < 3L * plane) {
            throw new IllegalArgumentException("tensor of " + tensor.length + " bytes has no 3 channels of " + size + "x" + size);
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (tensor[i] & 0xFF) << 16 | (tensor[plane + i] & 0xFF) << 8 | (tensor[2 * plane + i] & 0xFF);
        }
        img.setRGB(0, 0, size, size, rgb, 0, size);
        return img;
    }
}
