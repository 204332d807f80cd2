package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EvaluationTest {

    private static final EvaluationOptions OPTIONS = new EvaluationOptions(10, 50, 2019);

    /** A slice whose six probabilities are all {@code p} and whose labels are all {@code y}. */
    private static Case uniform(String patient, String study, double p, int y, Map<String, String> strata) {
        return new Case(patient, study, new double[] {p, p, p, p, p, p}, new int[] {y, y, y, y, y, y}, strata);
    }

    private static EvaluationRow row(List<EvaluationRow> rows, String level, String kind, String value, String label) {
        return rows.stream()
                .filter(r -> r.level().equals(level) && r.stratumKind().equals(kind)
                        && r.stratumValue().equals(value) && r.label().equals(label))
                .findFirst().orElseThrow();
    }

    @Test
    void sliceAucOfTheTextbookExample() {
        // Of the four positive/negative pairs only (0.35 vs 0.4) is ordered wrongly.
        double[] scores = {0.1, 0.4, 0.35, 0.8};
        int[] labels = {0, 0, 1, 1};
        List<Case> slices = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            slices.add(uniform("P" + i, "S" + i, scores[i], labels[i], Map.of()));
        }
        EvaluationRow any = Evaluation.compute(slices, List.of(), OPTIONS).get(0);
        assertEquals("slice", any.level());
        assertEquals("any", any.label());
        assertEquals(Strata.ALL, any.stratumKind());
        assertEquals(0.75, any.auc(), 1e-12);
        assertEquals(4, any.count());
        assertEquals(2, any.positives());
        assertEquals(4, any.patients());
    }

    @Test
    void weightedLogLossOfTwoSlices() {
        // Slice 1: all six at 0.5, each loss ln 2. Slice 2: "any" 0.8 on a positive (-ln 0.8, weight 2),
        // five subtypes 0.1 on negatives (-ln 0.9 each). RSNA: per slice weighted mean, then plain mean.
        Case first = uniform("P1", "S1", 0.5, 0, Map.of());
        Case second = new Case("P2", "S2", new double[] {0.8, 0.1, 0.1, 0.1, 0.1, 0.1},
                new int[] {1, 0, 0, 0, 0, 0}, Map.of());
        List<EvaluationRow> rows = Evaluation.compute(List.of(first, second), List.of(), OPTIONS);
        double expected = (Math.log(2) + (2 * -Math.log(0.8) + 5 * -Math.log(0.9)) / 7) / 2;
        EvaluationRow any = row(rows, "slice", Strata.ALL, Strata.ALL, "any");
        assertEquals(expected, any.weightedLogLoss(), 1e-12);
        assertEquals(expected, row(rows, "slice", Strata.ALL, Strata.ALL, "subdural").weightedLogLoss(), 1e-12);
        assertEquals((Math.log(2) - Math.log(0.8)) / 2, any.logLoss(), 1e-12);
        assertEquals((Math.log(2) - Math.log(0.9)) / 2,
                row(rows, "slice", Strata.ALL, Strata.ALL, "epidural").logLoss(), 1e-12);
    }

    @Test
    void oneRowPerLevelStratumAndLabelWithPointsOnlyOnStudyAny() {
        // Slice level: manufacturer {GE, Siemens}, thickness {<=1.5 mm}, kvp {unknown},
        // encoding {as stored, intercept fixed}, matrix {512x512}: 7 values.
        // Study level: S1 ties on encoding, so "as stored"; S2 is "as stored": 6 values.
        Map<String, String> ge = Map.of(Strata.MANUFACTURER, "GE", Strata.SLICE_THICKNESS, "<=1.5 mm",
                Strata.PIXEL_ENCODING, "as stored", Strata.MATRIX, "512x512");
        Map<String, String> geFixed = new LinkedHashMap<>(ge);
        geFixed.put(Strata.PIXEL_ENCODING, "intercept fixed");
        Map<String, String> siemens = new LinkedHashMap<>(ge);
        siemens.put(Strata.MANUFACTURER, "Siemens");
        List<Case> slices = List.of(
                uniform("P1", "S1", 0.9, 1, ge), uniform("P1", "S1", 0.2, 0, geFixed),
                uniform("P2", "S2", 0.3, 0, siemens), uniform("P2", "S2", 0.1, 0, siemens));
        List<OperatingPoint> points = List.of(new OperatingPoint("triage", 0.95, 0.5));

        List<EvaluationRow> rows = Evaluation.compute(slices, points, OPTIONS);
        assertEquals((1 + 7) * 6 + (1 + 6) * 6, rows.size());
        assertEquals(List.of("slice", "all", "all", "any"), key(rows.get(0)));
        assertEquals(List.of("slice", "all", "all", "subdural"), key(rows.get(5)));
        assertEquals(List.of("slice", "manufacturer", "GE", "any"), key(rows.get(6)));
        assertEquals(List.of("study", "all", "all", "any"), key(rows.get(48)));
        assertEquals(List.of("study", "matrix", "512x512", "subdural"), key(rows.get(rows.size() - 1)));

        for (EvaluationRow r : rows) {
            boolean studyAny = r.level().equals("study") && r.label().equals("any");
            assertEquals(studyAny ? 1 : 0, r.points().size(), key(r).toString());
        }
        PointResult triage = row(rows, "study", Strata.ALL, Strata.ALL, "any").points().get(0);
        assertEquals(new Confusion(1, 0, 1, 0), triage.confusion());
        assertEquals(rows, Evaluation.compute(slices, points, OPTIONS));
    }

    @Test
    void operatingPointsAreChosenOnStudies() {
        // Studies: S1 max 0.9 (positive), S2 max 0.4 (positive), S3 max 0.6 (negative).
        List<Case> valid = List.of(
                uniform("P1", "S1", 0.9, 1, Map.of()), uniform("P1", "S1", 0.2, 0, Map.of()),
                uniform("P2", "S2", 0.4, 1, Map.of()), uniform("P3", "S3", 0.6, 0, Map.of()));
        Map<String, Double> targets = new LinkedHashMap<>();
        targets.put("strict", 0.5);
        targets.put("triage", 1.0);
        assertEquals(List.of(new OperatingPoint("strict", 0.5, 0.9), new OperatingPoint("triage", 1.0, 0.4)),
                Evaluation.choose(valid, targets));
    }

    @Test
    void rowSeedsDependOnTheRowOnly() {
        long a = Evaluation.rowSeed(1, "slice", "any", "all", "all");
        assertEquals(a, Evaluation.rowSeed(1, "slice", "any", "all", "all"));
        assertTrue(a != Evaluation.rowSeed(1, "study", "any", "all", "all"));
        assertTrue(a != Evaluation.rowSeed(2, "slice", "any", "all", "all"));
    }

    @Test
    void nothingToEvaluate() {
        assertThrows(IllegalArgumentException.class, () -> Evaluation.compute(List.of(), List.of(), OPTIONS));
    }

    private static List<String> key(EvaluationRow r) {
        return List.of(r.level(), r.stratumKind(), r.stratumValue(), r.label());
    }
}
