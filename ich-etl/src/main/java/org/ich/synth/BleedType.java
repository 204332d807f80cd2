package org.ich.synth;

import java.util.List;
import java.util.stream.Stream;

import org.ich.domain.Labels;

/** The five RSNA hemorrhage subtypes, in the order the RSNA label file lists them (then "any"). */
public enum BleedType {
    EPIDURAL("epidural"),
    INTRAPARENCHYMAL("intraparenchymal"),
    INTRAVENTRICULAR("intraventricular"),
    SUBARACHNOID("subarachnoid"),
    SUBDURAL("subdural");

    /** Label names in RSNA order, ending with "any". */
    public static final List<String> RSNA_LABELS = Stream.concat(
            Labels.NAMES.subList(Labels.ANY + 1, Labels.COUNT).stream(), Stream.of(Labels.NAMES.get(Labels.ANY))).toList();

    private final String label;

    BleedType(String label) { this.label = label; }

    public String label() { return label; }
}
