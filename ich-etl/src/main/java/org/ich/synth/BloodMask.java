package org.ich.synth;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A slice's blood mask as {@code ich synth} writes it beside the cohort: 8-bit grey PNG in the DICOM pixel grid
 * (rows x columns, row-major like the pixel data), {@link #BLOOD} where the phantom rendered blood, 0 elsewhere. It is
 * read off {@link RenderedSlice#bleedMap()}, the renderer's own record of which pixels took a bleed's HU, so it is
 * exactly the blood (edema, noise and windowing play no part), whatever the subtype.
 */
public final class BloodMask {
    public static final int BLOOD = 255;
    /** The file of a slice inside the mask folder. */
    public static final String SUFFIX = ".png";

    private BloodMask() {}

    /** True where the renderer put blood, row-major rows x columns. */
    public static boolean[] of(RenderedSlice slice) {
        byte[] map = slice.bleedMap();
        boolean[] mask = new boolean[map.length];
        for (int i = 0; i < map.length; i++) mask[i] = map[i] != 0;
        return mask;
    }

    public static byte[] png(boolean[] mask, int rows, int columns) throws IOException {
        if (mask.length != rows * columns) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, expected " + rows + "x" + columns);
        }
        BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < mask.length; i++) pixels[i] = mask[i] ? (byte) BLOOD : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer");
        return out.toByteArray();
    }

    /** A mask file read back: true where the grey value is {@link #BLOOD}; also gives its size. */
    public record Read(boolean[] mask, int rows, int columns) {}

    public static Read read(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(png));
        if (image == null) throw new IOException("not a PNG image");
        int rows = image.getHeight(), columns = image.getWidth();
        int[] grey = image.getRaster().getPixels(0, 0, columns, rows, (int[]) null);
        if (grey.length != rows * columns) throw new IOException("mask is not single-channel grey");
        boolean[] mask = new boolean[grey.length];
        for (int i = 0; i < grey.length; i++) mask[i] = grey[i] == BLOOD;
        return new Read(mask, rows, columns);
    }
}
