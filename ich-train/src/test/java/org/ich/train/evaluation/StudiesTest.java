package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StudiesTest {

    private static Case slice(String patient, String study, double any, double sdh, int anyLabel, int sdhLabel,
                              String manufacturer, String thickness) {
        return new Case(patient, study, new double[] {any, 0.01, 0.02, 0.03, 0.04, sdh},
                new int[] {anyLabel, 0, 0, 0, 0, sdhLabel},
                Map.of(Strata.MANUFACTURER, manufacturer, Strata.SLICE_THICKNESS, thickness));
    }

    @Test
    void maxOverSlicesAndTheMostFrequentStratum() {
        List<Case> studies = Studies.rollup(List.of(
                slice("P1", "S-b", 0.2, 0.7, 0, 1, "GE", "<=1.5 mm"),
                slice("P2", "S-a", 0.6, 0.1, 1, 0, "Siemens", "3-5 mm"),
                slice("P1", "S-b", 0.9, 0.3, 1, 0, "GE", "1.5-3 mm"),
                slice("P2", "S-a", 0.4, 0.2, 0, 0, "GE", "3-5 mm"),
                slice("P1", "S-b", 0.1, 0.1, 0, 0, "Toshiba", "<=1.5 mm")));

        assertEquals(List.of("S-a", "S-b"), studies.stream().map(Case::study).toList());
        Case a = studies.get(0);
        assertEquals("P2", a.patient());
        assertArrayEquals(new double[] {0.6, 0.01, 0.02, 0.03, 0.04, 0.2}, a.probs());
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0}, a.labels());
        // One GE, one Siemens: the tie goes to the smaller name.
        assertEquals("GE", a.stratum(Strata.MANUFACTURER));

        Case b = studies.get(1);
        assertArrayEquals(new double[] {0.9, 0.01, 0.02, 0.03, 0.04, 0.7}, b.probs());
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 1}, b.labels());
        assertEquals("GE", b.stratum(Strata.MANUFACTURER));
        assertEquals("<=1.5 mm", b.stratum(Strata.SLICE_THICKNESS));
        assertEquals(Strata.UNKNOWN, b.stratum(Strata.KVP));
    }

    @Test
    void aStudyBelongsToOnePatient() {
        assertThrows(IllegalArgumentException.class, () -> Studies.rollup(List.of(
                slice("P1", "S", 0.2, 0.7, 0, 1, "GE", "<=1.5 mm"),
                slice("P2", "S", 0.2, 0.7, 0, 1, "GE", "<=1.5 mm"))));
    }
}
