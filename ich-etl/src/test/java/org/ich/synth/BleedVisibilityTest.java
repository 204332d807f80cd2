package org.ich.synth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every labelled bleed must still be seen once the slice is cropped to the head and shrunk to 64 pixels, as the
 * smallest ETL tensor is: some 64-pixel cell mostly covered by that bleed is clearly brighter than brain.
 */
class BleedVisibilityTest {
    private static final int SIZE = 64;

    @Test
    void labelledBleedsStayVisibleAt64Pixels(@TempDir Path dir) {
        Cohort cohort = Cohort.plan(SynthFixture.config(dir, "ich.synth.patients=5", "ich.synth.bleed-fraction=1",
                "ich.synth.matrix=256", "ich.synth.min-slices=20", "ich.synth.max-slices=24", "ich.synth.odd-matrix-fraction=0"));
        Set<BleedType> checked = EnumSet.noneOf(BleedType.class);
        for (PatientPlan p : cohort.patients()) {
            Phantom phantom = new Phantom(p);
            for (int k = 0; k < p.series().slices(); k++) {
                RenderedSlice s = phantom.render(k);
                if (!s.any()) continue;
                double brain = brainMedian(s);
                assertTrue(brain > 20 && brain < 42, "brain median " + brain);
                for (BleedType t : BleedType.values()) {
                    if (!s.positive(t)) continue;
                    double best = brightestCoveredCell(s, t);
                    assertTrue(best >= brain + 15, t + " on slice " + k + " of patient " + p.index() + ": best cell " + best + " HU, brain " + brain);
                    checked.add(t);
                }
            }
        }
        assertEquals(EnumSet.allOf(BleedType.class), checked);
    }

    private static double brainMedian(RenderedSlice s) {
        short[] soft = new short[s.hu().length];
        int n = 0;
        for (int i = 0; i < s.hu().length; i++) if (s.bleedMap()[i] == 0 && s.hu()[i] > 10 && s.hu()[i] < 80) soft[n++] = s.hu()[i];
        short[] v = Arrays.copyOf(soft, n);
        Arrays.sort(v);
        return v[n / 2];
    }

    /** Mean HU of the brightest bone-free cell of the cropped 64x64 grid that the bleed covers at least half of. */
    private static double brightestCoveredCell(RenderedSlice s, BleedType type) {
        int rows = s.rows(), cols = s.columns();
        int top = rows, bottom = -1, left = cols, right = -1;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (s.hu()[i * cols + j] > -300) {
                    top = Math.min(top, i); bottom = Math.max(bottom, i); left = Math.min(left, j); right = Math.max(right, j);
                }
            }
        }
        int side = Math.max(bottom - top + 1, right - left + 1);
        byte code = (byte) (type.ordinal() + 1);
        double best = Double.NEGATIVE_INFINITY;
        for (int ci = 0; ci < SIZE; ci++) {
            for (int cj = 0; cj < SIZE; cj++) {
                int i0 = top + ci * side / SIZE, i1 = Math.max(i0 + 1, top + (ci + 1) * side / SIZE);
                int j0 = left + cj * side / SIZE, j1 = Math.max(j0 + 1, left + (cj + 1) * side / SIZE);
                double sum = 0;
                int n = 0, covered = 0;
                boolean bone = false;
                for (int i = i0; i < Math.min(i1, rows); i++) {
                    for (int j = j0; j < Math.min(j1, cols); j++) {
                        int p = i * cols + j;
                        sum += s.hu()[p];
                        n++;
                        if (s.bleedMap()[p] == code) covered++;
                        bone |= s.hu()[p] >= 100;
                    }
                }
                if (n > 0 && !bone && covered * 2 >= n) best = Math.max(best, sum / n);
            }
        }
        return best;
    }
}
