package org.ich.score.card;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The ROC curve of scores against 0/1 labels: one point per distinct score used as the threshold (flag when the score
 * is at least it), from (0, 0) (nothing flagged) to (1, 1) (everything flagged). Tied scores move both rates in one
 * step, so the curve's trapezoids give the AUC with ties counted half. With one class only, the missing rate is 0.
 */
public record RocPoints(double[] fpr, double[] tpr) {

    public static RocPoints of(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (labels[i] != 0) positives++;
        }
        long negatives = n - positives;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] fpr = new double[n + 2];
        double[] tpr = new double[n + 2];
        int points = 1;
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < n; ) {
            double threshold = scores[order[k]];
            while (k < n && Double.compare(scores[order[k]], threshold) == 0) {
                if (labels[order[k]] != 0) tp++;
                else fp++;
                k++;
            }
            fpr[points] = negatives == 0 ? 0 : (double) fp / negatives;
            tpr[points] = positives == 0 ? 0 : (double) tp / positives;
            points++;
        }
        if (fpr[points - 1] != 1 || tpr[points - 1] != 1 || points == 1) {
            // One class only: the curve still ends in the corner.
            fpr[points] = 1;
            tpr[points] = 1;
            points++;
        }
        return new RocPoints(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points));
    }

    /** The area under the trapezoids. */
    public double auc() {
        double area = 0;
        for (int i = 1; i < fpr.length; i++) area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return area;
    }
}
