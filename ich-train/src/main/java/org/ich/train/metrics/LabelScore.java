package org.ich.train.metrics;

/**
 * How well one label is predicted on an evaluation set.
 *
 * @param auc      ROC AUC; NaN when the set holds only one class of this label
 * @param accuracy fraction right at a 0.5 threshold
 */
public record LabelScore(String label, long count, long positives, double auc, double accuracy) {
}
