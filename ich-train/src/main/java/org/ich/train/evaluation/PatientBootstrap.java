package org.ich.train.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.ich.train.metrics.RankAuc;

/**
 * Bootstrap confidence intervals that resample patients, not rows. Slices (and studies) of one
 * patient are strongly correlated; resampling rows would treat them as independent evidence and
 * give intervals that are too narrow.
 */
public final class PatientBootstrap {

    private PatientBootstrap() {
    }

    /**
     * Percentile 95% interval of the AUC. Each replicate draws as many patients as there are, with
     * replacement, and takes all rows of each drawn patient. Rows are grouped by patient and the
     * patients ordered by key before drawing with {@code SplittableRandom(seed)}, so the result
     * depends on the seed and the data but not on the order of the rows.
     *
     * <p>Replicates whose AUC is undefined (one class drawn only) are skipped. The bounds are the
     * 2.5th and 97.5th percentiles of the m defined replicate AUCs, sorted ascending as a[0..m-1],
     * by linear interpolation: percentile q is a[k] + f (a[k+1] - a[k]) with k + f = q (m - 1).
     *
     * @return {@link Interval#NONE} when the AUC is undefined on the full data or fewer than half
     *     of the replicates are defined
     */
    public static Interval auc(double[] scores, int[] labels, String[] patients, int replicates, long seed) {
        if (scores.length != labels.length || scores.length != patients.length) {
            throw new IllegalArgumentException(scores.length + " scores, " + labels.length + " labels and "
                    + patients.length + " patients");
        }
        if (replicates < 1) {
            throw new IllegalArgumentException("Need at least one replicate, got " + replicates);
        }
        if (Double.isNaN(RankAuc.of(scores, labels))) {
            return Interval.NONE;
        }
        Map<String, List<Integer>> rowsByPatient = new TreeMap<>();
        for (int i = 0; i < patients.length; i++) {
            if (patients[i] == null) {
                throw new IllegalArgumentException("Row " + i + " has no patient");
            }
            rowsByPatient.computeIfAbsent(patients[i], key -> new ArrayList<>()).add(i);
        }
        int[][] groups = rowsByPatient.values().stream()
                .map(rows -> rows.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);

        SplittableRandom random = new SplittableRandom(seed);
        double[] aucs = new double[replicates];
        int defined = 0;
        double[] s = new double[scores.length * 2];
        int[] y = new int[scores.length * 2];
        for (int r = 0; r < replicates; r++) {
            int n = 0;
            for (int d = 0; d < groups.length; d++) {
                int[] group = groups[random.nextInt(groups.length)];
                if (n + group.length > s.length) {
                    s = Arrays.copyOf(s, Math.max(s.length * 2, n + group.length));
                    y = Arrays.copyOf(y, s.length);
                }
                for (int row : group) {
                    s[n] = scores[row];
                    y[n] = labels[row];
                    n++;
                }
            }
            double auc = RankAuc.of(Arrays.copyOf(s, n), Arrays.copyOf(y, n));
            if (!Double.isNaN(auc)) {
                aucs[defined++] = auc;
            }
        }
        if (defined * 2 < replicates) {
            return Interval.NONE;
        }
        double[] sorted = Arrays.copyOf(aucs, defined);
        Arrays.sort(sorted);
        return new Interval(percentile(sorted, 0.025), percentile(sorted, 0.975));
    }

    /** Linear interpolation between order statistics of ascending {@code sorted}; see {@link #auc}. */
    static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int k = (int) Math.floor(position);
        if (k + 1 >= sorted.length) {
            return sorted[sorted.length - 1];
        }
        return sorted[k] + (position - k) * (sorted[k + 1] - sorted[k]);
    }
}
