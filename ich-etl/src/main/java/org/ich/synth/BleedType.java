package org.ich.synth;

import java.util.List;

/** The five RSNA hemorrhage subtypes, in the order the RSNA label file lists them (then "any"). */
public enum BleedType {
    EPIDURAL("epidural"),
    INTRAPARENCHYMAL("intraparenchymal"),
    INTRAVENTRICULAR("intraventricular"),
    SUBARACHNOID("subarachnoid"),
    SUBDURAL("subdural");

    /** Label names in RSNA order, ending with "any". */
    public static final List<String> RSNA_LABELS = List.of(
            "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural", "any");

    private final String label;

    BleedType(String label) { this.label = label; }

    public String label() { return label; }
}
