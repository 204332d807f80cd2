package org.ich.train.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ich.domain.Labels;

/**
 * From slices to studies. A study is read as one exam: it shows a hemorrhage (of a subtype) when
 * any of its slices does, so both truth and prediction take the column-wise max.
 */
public final class Studies {

    private Studies() {
    }

    /**
     * One case per study, ordered by study key. Each stratum takes the value most of the study's
     * slices have (ties: the lexicographically smallest), since header fields such as slice
     * thickness can vary within a series.
     *
     * @throws IllegalArgumentException when one study's slices name different patients
     */
    public static List<Case> rollup(List<Case> slices) {
        Map<String, List<Case>> byStudy = new TreeMap<>();
        for (Case slice : slices) {
            byStudy.computeIfAbsent(slice.study(), key -> new ArrayList<>()).add(slice);
        }
        List<Case> studies = new ArrayList<>(byStudy.size());
        for (Map.Entry<String, List<Case>> entry : byStudy.entrySet()) {
            studies.add(rollupStudy(entry.getKey(), entry.getValue()));
        }
        return studies;
    }

    private static Case rollupStudy(String study, List<Case> slices) {
        String patient = slices.get(0).patient();
        double[] probs = new double[Labels.COUNT];
        int[] labels = new int[Labels.COUNT];
        Arrays.fill(probs, Double.NEGATIVE_INFINITY);
        TreeSet<String> kinds = new TreeSet<>();
        for (Case slice : slices) {
            if (!slice.patient().equals(patient)) {
                throw new IllegalArgumentException("Study " + study + " has slices of patients " + patient
                        + " and " + slice.patient());
            }
            for (int j = 0; j < Labels.COUNT; j++) {
                probs[j] = Math.max(probs[j], slice.probs()[j]);
                labels[j] = Math.max(labels[j], slice.labels()[j]);
            }
            kinds.addAll(slice.strata().keySet());
        }
        Map<String, String> strata = new HashMap<>();
        for (String kind : kinds) {
            strata.put(kind, mostFrequent(slices, kind));
        }
        return new Case(patient, study, probs, labels, strata);
    }

    private static String mostFrequent(List<Case> slices, String kind) {
        // Sorted by value so that, among equal counts, the first seen is the smallest.
        Map<String, Integer> counts = new TreeMap<>();
        for (Case slice : slices) {
            String value = slice.strata().get(kind);
            if (value != null) {
                counts.merge(value, 1, Integer::sum);
            }
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }
}
