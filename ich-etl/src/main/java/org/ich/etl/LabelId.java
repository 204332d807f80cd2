package org.ich.etl;

/**
 * One ID of the RSNA label CSV, {@code ID_<SOPInstanceUID>_<label>}. In the RSNA release the SOPInstanceUIDs
 * themselves start with "ID_", so the key used for joining drops that prefix from both sides.
 */
public record LabelId(String sopKey, String label) {

    public static LabelId parse(String id) {
        if (id == null) return null;
        String s = id.trim();
        int cut = s.lastIndexOf('_');
        if (cut <= 0 || cut == s.length() - 1) return null;
        return new LabelId(sopKey(s.substring(0, cut)), s.substring(cut + 1));
    }

    /** The join key of a SOPInstanceUID: without a leading "ID_". */
    public static String sopKey(String sopInstanceUid) {
        String s = sopInstanceUid.trim();
        return s.startsWith("ID_") ? s.substring(3) : s;
    }
}
