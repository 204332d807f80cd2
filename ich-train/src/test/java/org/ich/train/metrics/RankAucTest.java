package org.ich.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class RankAucTest {

    @Test
    void handExamples() {
        assertEquals(0.75, RankAuc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(5.0 / 6, RankAuc.of(new double[] {0.3, 0.3, 0.3, 0.1, 0.7}, new int[] {1, 0, 0, 0, 1}), 1e-12);
        assertEquals(0.5, RankAuc.of(new double[] {1, 1, 1, 1}, new int[] {1, 0, 1, 0}), 1e-12);
        assertEquals(0.0, RankAuc.of(new double[] {0.9, 0.1}, new int[] {0, 1}), 1e-12);
        assertTrue(Double.isNaN(RankAuc.of(new double[] {0.2, 0.4}, new int[] {1, 1})));
    }

    /** Against the definition, counted pair by pair, on coarse scores full of ties. */
    @Test
    void agreesWithPairCountingOnTiedScores() {
        Random random = new Random(42);
        double[] scores = new double[300];
        int[] labels = new int[300];
        for (int i = 0; i < scores.length; i++) {
            labels[i] = random.nextInt(4) == 0 ? 1 : 0;
            scores[i] = Math.round((random.nextDouble() + 0.3 * labels[i]) * 10) / 10.0;
        }
        double ordered = 0;
        long pairs = 0;
        for (int p = 0; p < scores.length; p++) {
            for (int n = 0; n < scores.length; n++) {
                if (labels[p] == 1 && labels[n] == 0) {
                    pairs++;
                    ordered += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
                }
            }
        }
        assertEquals(ordered / pairs, RankAuc.of(scores, labels), 1e-12);
    }
}
