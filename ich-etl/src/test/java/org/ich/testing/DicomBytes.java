package org.ich.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built DICOM files of the kinds the project's own writer never produces (encapsulated pixel data in a syntax
 * no installed codec reads, deflated datasets, deflate bombs), written byte by byte as a foreign archive would hold them.
 */
public final class DicomBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private DicomBytes() {}

    /** A CT instance whose pixel data is one encapsulated fragment in transfer syntax {@code syntax}. */
    public static byte[] encapsulatedCt(String syntax, String sopInstanceUid, byte[] fragment) {
        return encapsulatedCt(syntax, sopInstanceUid, fragment, 64, 64);
    }

    public static byte[] encapsulatedCt(String syntax, String sopInstanceUid, byte[] fragment, int rows, int columns) {
        return encapsulated(syntax, sopInstanceUid, "CT", fragment, rows, columns);
    }

    /** An instance of {@code modality} (CT Image Storage for CT, MR Image Storage otherwise) with one encapsulated fragment. */
    public static byte[] encapsulated(String syntax, String sopInstanceUid, String modality, byte[] fragment, int rows, int columns) {
        DicomBytes file = new DicomBytes();
        file.header(sopInstanceUid, modality, rows, columns, 0);
        // Pixel data: OB, undefined length, empty offset table item, one fragment, sequence delimiter.
        file.tag(0x7FE0, 0x0010);
        file.out.writeBytes("OB".getBytes(StandardCharsets.US_ASCII));
        file.out.writeBytes(new byte[2]);
        file.out.writeBytes(le32(0xFFFFFFFF));
        file.item(new byte[0]);
        file.item(fragment.length % 2 == 0 ? fragment : java.util.Arrays.copyOf(fragment, fragment.length + 1));
        file.tag(0xFFFE, 0xE0DD);
        file.out.writeBytes(le32(0));
        return part10(syntax, sopInstanceUid, file.out.toByteArray());
    }

    /**
     * A CT dataset (no file meta) in explicit VR little endian with native 16-bit pixels, and {@code privateZeros}
     * bytes of zeros in a private OB element when positive: what a deflate bomb hides in a few kilobytes.
     */
    public static byte[] nativeCtDataset(String sopInstanceUid, int rows, int columns, short[] pixels, int privateZeros) {
        DicomBytes file = new DicomBytes();
        file.header(sopInstanceUid, "CT", rows, columns, privateZeros);
        ByteBuffer px = ByteBuffer.allocate(pixels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short p : pixels) px.putShort(p);
        file.element(0x7FE0, 0x0010, "OW", px.array());
        return file.out.toByteArray();
    }

    /** Preamble, DICM and a file meta group naming {@code syntax}, then {@code dataset} as given (encoded or deflated). */
    public static byte[] part10(String syntax, String sopInstanceUid, byte[] dataset) {
        DicomBytes meta = new DicomBytes();
        meta.element(0x0002, 0x0001, "OB", new byte[]{0, 1});
        meta.text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.2");
        meta.text(0x0002, 0x0003, "UI", sopInstanceUid);
        meta.text(0x0002, 0x0010, "UI", syntax);
        byte[] metaBody = meta.out.toByteArray();

        DicomBytes file = new DicomBytes();
        file.out.writeBytes(new byte[128]);
        file.out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        file.element(0x0002, 0x0000, "UL", le32(metaBody.length));
        file.out.writeBytes(metaBody);
        file.out.writeBytes(dataset);
        return file.out.toByteArray();
    }

    /** Raw deflate (no zlib wrapper), as Deflated Explicit VR Little Endian stores a dataset. */
    public static byte[] deflate(byte[] dataset) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true);
        deflater.setInput(dataset);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) out.write(buf, 0, deflater.deflate(buf));
        deflater.end();
        return out.toByteArray();
    }

    /** The attributes before the pixel data, in tag order, with the identifiers a slice needs. */
    private void header(String sopInstanceUid, String modality, int rows, int columns, int privateZeros) {
        text(0x0008, 0x0016, "UI", modality.equals("CT") ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.4");
        text(0x0008, 0x0018, "UI", sopInstanceUid);
        text(0x0008, 0x0060, "CS", modality);
        if (privateZeros > 0) {
            text(0x0009, 0x0010, "LO", "ICH TEST PADDING");
            element(0x0009, 0x1001, "OB", new byte[privateZeros]);
        }
        text(0x0010, 0x0020, "LO", "FIXTURE-PID");
        text(0x0020, 0x000D, "UI", "2.25.1");
        text(0x0020, 0x000E, "UI", "2.25.2");
        element(0x0028, 0x0002, "US", le16(1));
        text(0x0028, 0x0004, "CS", "MONOCHROME2");
        element(0x0028, 0x0010, "US", le16(rows));
        element(0x0028, 0x0011, "US", le16(columns));
        element(0x0028, 0x0100, "US", le16(16));
        element(0x0028, 0x0101, "US", le16(16));
        element(0x0028, 0x0102, "US", le16(15));
        element(0x0028, 0x0103, "US", le16(0));
        text(0x0028, 0x1052, "DS", "-1024");
        text(0x0028, 0x1053, "DS", "1");
    }

    private void item(byte[] value) {
        tag(0xFFFE, 0xE000);
        out.writeBytes(le32(value.length));
        out.writeBytes(value);
    }

    private void text(int group, int element, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        if (v.length % 2 == 1) v = java.util.Arrays.copyOf(v, v.length + 1); // UI pads with NUL, others with space
        if (!vr.equals("UI") && v[v.length - 1] == 0) v[v.length - 1] = ' ';
        element(group, element, vr, v);
    }

    private void element(int group, int element, String vr, byte[] value) {
        tag(group, element);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ") || vr.equals("UT")) {
            out.writeBytes(new byte[2]);
            out.writeBytes(le32(value.length));
        } else {
            out.writeBytes(le16(value.length));
        }
        out.writeBytes(value);
    }

    private void tag(int group, int element) {
        out.writeBytes(le16(group));
        out.writeBytes(le16(element));
    }

    private static byte[] le16(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
