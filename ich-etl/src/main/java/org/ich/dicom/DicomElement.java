package org.ich.dicom;

import java.util.Arrays;
import java.util.List;

/** One header attribute, library-neutral: its dictionary keyword (or "gggg,eeee" for private tags), VR and values. */
public record DicomElement(String keyword, String vr, List<String> values) {

    public DicomElement {
        values = List.copyOf(values);
    }

    public static DicomElement of(String keyword, String vr, Object... values) {
        return new DicomElement(keyword, vr, Arrays.stream(values).map(String::valueOf).toList());
    }

    public String first() {
        return values.isEmpty() ? null : values.get(0);
    }

    /** True for tags in odd groups, which the dictionary cannot name and which may carry anything. */
    public boolean isPrivate() {
        return keyword.indexOf(',') == 4 && (Integer.parseInt(keyword.substring(0, 4), 16) & 1) == 1;
    }
}
