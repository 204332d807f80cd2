package org.ich.dicom;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoded DICOM instance as the rest of ich sees it, independent of the DICOM library: the header by keyword,
 * the transfer syntax it came in, and the stored pixel values of its single frame (before any rescale).
 *
 * <p>{@code pixels} holds stored values as read, one short per pixel, row-major; with PixelRepresentation 0 they are
 * unsigned and must be read with {@code & 0xFFFF}. It is null when the file has no pixel data.
 */
public final class DicomObject {
    private final String transferSyntaxUid;
    private final Map<String, DicomElement> elements;
    private final short[] pixels;

    public DicomObject(String transferSyntaxUid, Collection<DicomElement> elements, short[] pixels) {
        this.transferSyntaxUid = transferSyntaxUid;
        this.elements = new LinkedHashMap<>();
        for (DicomElement e : elements) this.elements.put(e.keyword(), e);
        this.pixels = pixels;
    }

    public String transferSyntaxUid() { return transferSyntaxUid; }

    public Collection<DicomElement> elements() { return elements.values(); }

    public short[] pixels() { return pixels; }

    public DicomElement element(String keyword) { return elements.get(keyword); }

    /** First value of the attribute, trimmed, or null when absent or empty. */
    public String string(String keyword) {
        DicomElement e = elements.get(keyword);
        String v = e == null ? null : e.first();
        if (v == null) return null;
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    public Double number(String keyword) {
        String v = string(keyword);
        if (v == null) return null;
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** All values as numbers (e.g. PixelSpacing, multi-valued WindowCenter); empty when absent or not numeric. */
    public double[] numbers(String keyword) {
        DicomElement e = elements.get(keyword);
        if (e == null) return new double[0];
        try {
            return e.values().stream().map(String::trim).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException ex) {
            return new double[0];
        }
    }

    public Integer integer(String keyword) {
        Double d = number(keyword);
        return d == null ? null : (int) Math.round(d);
    }
}
