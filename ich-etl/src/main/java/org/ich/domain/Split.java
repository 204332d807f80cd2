package org.ich.domain;

import java.util.List;

/**
 * The per-patient splits of the {@code slices} table's {@code split} column: a patient's slices are all in one, so no
 * patient is both trained on and validated on.
 */
public final class Split {
    public static final String TRAIN = "train";
    public static final String VALID = "valid";
    public static final String TEST = "test";
    /** In the order reports list them. */
    public static final List<String> ALL = List.of(TRAIN, VALID, TEST);

    private Split() {
    }
}
