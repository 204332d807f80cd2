package org.ich.train.evaluation;

import java.util.Map;

import org.ich.domain.Labels;

/**
 * One scored slice (or, after {@link Studies#rollup}, one study). The arrays are copied on the way
 * in and must not be modified through the accessors.
 *
 * @param probs  predicted probabilities, {@link Labels#COUNT} columns in {@link Labels#NAMES} order
 * @param labels truth, 0 or 1, in the same order
 * @param strata stratum kind ({@link Strata#KINDS}) to value; a missing kind counts as
 *     {@link Strata#UNKNOWN}
 */
public record Case(String patient, String study, double[] probs, int[] labels, Map<String, String> strata) {

    public Case {
        if (patient == null || study == null) {
            throw new IllegalArgumentException("A case needs a patient and a study, got " + patient + " / " + study);
        }
        if (probs.length != Labels.COUNT || labels.length != Labels.COUNT) {
            throw new IllegalArgumentException("Case of study " + study + " needs " + Labels.COUNT
                    + " probabilities and labels, got " + probs.length + " and " + labels.length);
        }
        probs = probs.clone();
        labels = labels.clone();
        strata = strata == null ? Map.of() : Map.copyOf(strata);
    }

    /** This case's value for a stratum kind, {@link Strata#UNKNOWN} when it has none. */
    public String stratum(String kind) {
        return strata.getOrDefault(kind, Strata.UNKNOWN);
    }
}
