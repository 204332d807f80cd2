package org.ich.train.evaluation;

import java.util.List;

/**
 * One label's figures on one stratum at one level.
 *
 * @param level           "slice" or "study"
 * @param stratumKind     {@link Strata#ALL} or one of {@link Strata#KINDS}
 * @param count           cases (slices or studies) in the stratum
 * @param positives       cases positive for this label
 * @param patients        distinct patients among them
 * @param auc             ROC AUC; NaN when the stratum has one class of this label
 * @param aucCi           patient bootstrap 95% interval of the AUC, or {@link Interval#NONE}
 * @param logLoss         mean binary log loss of this label
 * @param weightedLogLoss the RSNA weighted log loss over all six labels of the stratum's cases;
 *     the same on every label row of a level and stratum
 * @param ece             expected calibration error of this label
 * @param reliability     the non-empty calibration bins
 * @param points          the operating points applied; empty except on study-level "any" rows
 */
public record EvaluationRow(String level, String label, String stratumKind, String stratumValue,
                            long count, long positives, long patients,
                            double auc, Interval aucCi, double logLoss, double weightedLogLoss,
                            double ece, List<Calibration.Bin> reliability, List<PointResult> points) {

    public EvaluationRow {
        reliability = List.copyOf(reliability);
        points = List.copyOf(points);
    }
}
