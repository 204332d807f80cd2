package org.ich.train.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.ich.train.metrics.RankAuc;
import org.junit.jupiter.api.Test;

class PatientBootstrapTest {

    /** 40 patients of 1 to 3 rows each; positives score higher on average, with overlap. */
    private static final int ROWS;
    private static final double[] SCORES;
    private static final int[] LABELS;
    private static final String[] PATIENTS;

    static {
        Random random = new Random(7);
        double[] scores = new double[120];
        int[] labels = new int[120];
        String[] patients = new String[120];
        int n = 0;
        for (int patient = 0; patient < 40; patient++) {
            int rows = 1 + random.nextInt(3);
            for (int r = 0; r < rows; r++) {
                labels[n] = random.nextInt(2);
                scores[n] = Math.min(1, Math.max(0, 0.35 + 0.3 * labels[n] + 0.25 * random.nextGaussian()));
                patients[n] = "P" + patient;
                n++;
            }
        }
        ROWS = n;
        SCORES = Arrays.copyOf(scores, n);
        LABELS = Arrays.copyOf(labels, n);
        PATIENTS = Arrays.copyOf(patients, n);
    }

    @Test
    void sameSeedSameInterval() {
        Interval a = PatientBootstrap.auc(SCORES, LABELS, PATIENTS, 200, 11);
        Interval b = PatientBootstrap.auc(SCORES, LABELS, PATIENTS, 200, 11);
        assertEquals(a, b);
        assertNotEquals(a, PatientBootstrap.auc(SCORES, LABELS, PATIENTS, 200, 12));
    }

    @Test
    void rowOrderDoesNotMatter() {
        // Reverse the rows: patients' rows move and patients are met in a different order.
        double[] scores = new double[ROWS];
        int[] labels = new int[ROWS];
        String[] patients = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            scores[i] = SCORES[ROWS - 1 - i];
            labels[i] = LABELS[ROWS - 1 - i];
            patients[i] = PATIENTS[ROWS - 1 - i];
        }
        assertEquals(PatientBootstrap.auc(SCORES, LABELS, PATIENTS, 200, 11),
                PatientBootstrap.auc(scores, labels, patients, 200, 11));
    }

    @Test
    void intervalContainsThePointAuc() {
        double auc = RankAuc.of(SCORES, LABELS);
        Interval ci = PatientBootstrap.auc(SCORES, LABELS, PATIENTS, 400, 3);
        assertTrue(ci.low() < auc && auc < ci.high(), ci + " should contain " + auc);
        assertTrue(ci.high() - ci.low() < 0.4, "implausibly wide: " + ci);
    }

    @Test
    void perfectSeparationGivesOne() {
        double[] scores = {0.1, 0.2, 0.8, 0.9, 0.3, 0.7};
        int[] labels = {0, 0, 1, 1, 0, 1};
        String[] patients = {"a", "b", "c", "d", "e", "f"};
        assertEquals(new Interval(1, 1), PatientBootstrap.auc(scores, labels, patients, 100, 1));
    }

    @Test
    void oneClassHasNoInterval() {
        assertSame(Interval.NONE, PatientBootstrap.auc(new double[] {0.1, 0.5}, new int[] {1, 1},
                new String[] {"a", "b"}, 50, 1));
    }

    @Test
    void percentilesInterpolateBetweenOrderStatistics() {
        // Positions q (m - 1): 0.1 and 3.9 on five values.
        double[] sorted = {1, 2, 3, 4, 5};
        assertEquals(1.1, PatientBootstrap.percentile(sorted, 0.025), 1e-12);
        assertEquals(4.9, PatientBootstrap.percentile(sorted, 0.975), 1e-12);
        assertEquals(7.0, PatientBootstrap.percentile(new double[] {7}, 0.975), 1e-12);
    }
}
