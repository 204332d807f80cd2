package org.ich.dicom;

import org.ich.testing.DicomBytes;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Compressed transfer syntaxes decode through the pure-Java codecs on the classpath, to the exact stored values. */
class CompressedSyntaxTest {
    private static final int SIDE = 64;

    private static short[] phantom() {
        short[] px = new short[SIDE * SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                double d = Math.hypot(r - 32, c - 32);
                px[r * SIDE + c] = (short) (d > 28 ? 24 : d > 25 ? 2200 : 1024 + 30 + (r * 7 + c * 3) % 20);
            }
        }
        return px;
    }

    private static byte[] losslessJpeg2000(short[] px) throws Exception {
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setDataElements(0, 0, SIDE, SIDE, px);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg2000").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.getClass().getMethod("setLossless", boolean.class).invoke(param, true);
        param.getClass().getMethod("setWriteCodeStreamOnly", boolean.class).invoke(param, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        }
        return bytes.toByteArray();
    }

    @Test
    void losslessJpeg2000DecodesToTheStoredValues() throws Exception {
        short[] px = phantom();
        byte[] file = DicomBytes.encapsulatedCt("1.2.840.10008.1.2.4.90", "2.25.500", losslessJpeg2000(px), SIDE, SIDE);
        DicomObject d = PixelMedDicom.read(file, "j2k.dcm");
        assertEquals("1.2.840.10008.1.2.4.90", d.transferSyntaxUid());
        assertArrayEquals(px, d.pixels());
    }
}
