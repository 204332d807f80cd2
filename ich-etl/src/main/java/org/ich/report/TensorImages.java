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
}
