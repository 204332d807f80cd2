package org.ich.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built DICOM files of the kinds the project's own writer never produces (encapsulated pixel data in a syntax
 * no installed codec reads), written byte by byte as a foreign archive would hold them.
 */
public final class DicomBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private DicomBytes() {}

    /** A CT instance whose pixel data is one encapsulated fragment in transfer syntax {@code syntax}. */
    public static byte[] encapsulatedCt(String syntax, String sopInstanceUid, byte[] fragment) {
        return encapsulatedCt(syntax, sopInstanceUid, fragment, 64, 64);
    }

    public static byte[] encapsulatedCt(String syntax, String sopInstanceUid, byte[] fragment, int rows, int columns) {
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
        file.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2");
        file.text(0x0008, 0x0018, "UI", sopInstanceUid);
        file.text(0x0008, 0x0060, "CS", "CT");
        file.element(0x0028, 0x0002, "US", le16(1));
        file.text(0x0028, 0x0004, "CS", "MONOCHROME2");
        file.element(0x0028, 0x0010, "US", le16(rows));
        file.element(0x0028, 0x0011, "US", le16(columns));
        file.element(0x0028, 0x0100, "US", le16(16));
        file.element(0x0028, 0x0101, "US", le16(16));
        file.element(0x0028, 0x0102, "US", le16(15));
        file.element(0x0028, 0x0103, "US", le16(0));
        // Pixel data: OB, undefined length, empty offset table item, one fragment, sequence delimiter.
        file.tag(0x7FE0, 0x0010);
        file.out.writeBytes("OB".getBytes(StandardCharsets.US_ASCII));
        file.out.writeBytes(new byte[2]);
        file.out.writeBytes(le32(0xFFFFFFFF));
        file.item(new byte[0]);
        file.item(fragment.length % 2 == 0 ? fragment : java.util.Arrays.copyOf(fragment, fragment.length + 1));
        file.tag(0xFFFE, 0xE0DD);
        file.out.writeBytes(le32(0));
        return file.out.toByteArray();
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
