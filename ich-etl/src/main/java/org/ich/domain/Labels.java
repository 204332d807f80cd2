package org.ich.domain;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The six RSNA 2019 targets in the one order every ich table, tensor and model output uses.
 * Index 0 is {@code any}: the ANY head predicts only that column, so it must stay first.
 */
public final class Labels {

    public static final List<String> NAMES =
            List.of("any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural");

    public static final int COUNT = NAMES.size();
    public static final int ANY = 0;

    /** Columns of the slice tables holding the 0/1 truth, in label order. */
    public static final List<String> LABEL_COLUMNS = prefixed("label_");

    /** Columns of the prediction tables holding probabilities, in label order. */
    public static final List<String> PREDICTION_COLUMNS = prefixed("p_");

    /** The competition's weighting: a missed or false "any" costs twice a subtype. */
    public static final double RSNA_ANY_WEIGHT = 2.0;

    private Labels() {
    }

    public static String labelColumn(int index) {
        return LABEL_COLUMNS.get(index);
    }

    public static String predictionColumn(int index) {
        return PREDICTION_COLUMNS.get(index);
    }

    public static int indexOf(String name) {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("Unknown label '" + name + "'; expected one of " + NAMES);
        }
        return index;
    }

    /** Per-label weights with {@code anyWeight} on "any" and 1 on every subtype. */
    public static double[] weights(double anyWeight) {
        double[] weights = new double[COUNT];
        Arrays.fill(weights, 1.0);
        weights[ANY] = anyWeight;
        return weights;
    }

    /** The weights the RSNA 2019 leaderboard scored with. */
    public static double[] rsnaWeights() {
        return weights(RSNA_ANY_WEIGHT);
    }

    private static List<String> prefixed(String prefix) {
        return NAMES.stream().map(name -> prefix + name).collect(Collectors.toUnmodifiableList());
    }
}
