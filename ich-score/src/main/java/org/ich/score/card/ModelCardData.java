package org.ich.score.card;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a model card shows, gathered beforehand (from the registry's manifest and the evaluation tables) so that
 * {@link ModelCard} only renders: no Spark, no storage reads. Unknown figures are NaN (shown as "n/a"), unknown
 * texts null; lists are never null (null becomes empty).
 *
 * @param version            the model version id
 * @param created            when its training run started
 * @param finished           when it ended, or null
 * @param architecture       the slice network's architecture id
 * @param input              what the network reads
 * @param head               the output head's name
 * @param contextStage       a description of the context (sequence) stage, or null for the slice stage alone
 * @param trainingConfigJson the full training configuration (the recipe) as JSON text, or null; any JSON, even an
 *                           invalid one, renders
 * @param slicesSnapshotId   Iceberg snapshot of the slices table the run read, or null
 * @param trainedOnSynthetic whether the training and evaluation data were synthetic phantoms
 * @param splits             counts per split (train, valid, test)
 * @param curves             training-curve PNGs by name relative to the card's folder (the command that builds the card
 *                           copies them there); a name not found there is listed as missing
 * @param evaluations        discrimination and calibration per level (slice, study)
 * @param operatingPoints    study-level operating points for "any"; the first is the primary one the strata use
 * @param strata             the "any" figures per subgroup (scanner manufacturer, age band, ...)
 */
public record ModelCardData(String version, Instant created, Instant finished, String architecture, Input input,
                            String head, String contextStage, String trainingConfigJson, Long slicesSnapshotId,
                            boolean trainedOnSynthetic, List<SplitCounts> splits, List<String> curves,
                            List<LevelEvaluation> evaluations, List<OperatingPoint> operatingPoints, List<Stratum> strata) {

    public ModelCardData {
        Objects.requireNonNull(version, "version");
        splits = copy(splits);
        curves = copy(curves);
        evaluations = copy(evaluations);
        operatingPoints = copy(operatingPoints);
        strata = copy(strata);
    }

    /** The primary operating point (the first), or null when none was chosen. */
    public OperatingPoint primaryOperatingPoint() {
        return operatingPoints.isEmpty() ? null : operatingPoints.get(0);
    }

    /**
     * The network's input.
     *
     * @param windows the window stack, e.g. {@code brain:40:80,subdural:80:200,bone:600:2800}
     */
    public record Input(int channels, int size, String windows) {
    }

    /** A figure with its 95% confidence interval; any part may be NaN. */
    public record Estimate(double value, double low, double high) {
        public static final Estimate UNKNOWN = new Estimate(Double.NaN, Double.NaN, Double.NaN);

        public static Estimate of(double value) {
            return new Estimate(value, Double.NaN, Double.NaN);
        }
    }

    /**
     * What one split holds.
     *
     * @param positives slices positive per label name, in label order
     */
    public record SplitCounts(String split, long patients, long studies, long slices, Map<String, Long> positives) {
        public SplitCounts {
            positives = positives == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(positives));
        }
    }

    /**
     * One label's evaluation at one level.
     *
     * @param count       slices or studies evaluated
     * @param positives   of which positive
     * @param logLoss     mean binary cross-entropy
     * @param ece         expected calibration error over the reliability bins
     * @param fpr         ROC curve false-positive rates, paired with {@code tpr}, in curve order
     * @param reliability reliability-diagram bins
     */
    public record LabelEvaluation(String label, long count, long positives, Estimate auc, double logLoss, double ece,
                                  double[] fpr, double[] tpr, List<ReliabilityBin> reliability) {
        public LabelEvaluation {
            fpr = fpr == null ? new double[0] : fpr.clone();
            tpr = tpr == null ? new double[0] : tpr.clone();
            if (fpr.length != tpr.length) {
                throw new IllegalArgumentException(label + ": " + fpr.length + " false-positive rates but " + tpr.length + " true-positive rates");
            }
            auc = auc == null ? Estimate.UNKNOWN : auc;
            reliability = copy(reliability);
        }

        @Override
        public double[] fpr() {
            return fpr.clone();
        }

        @Override
        public double[] tpr() {
            return tpr.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LabelEvaluation e && label.equals(e.label) && count == e.count && positives == e.positives
                    && auc.equals(e.auc) && Double.compare(logLoss, e.logLoss) == 0 && Double.compare(ece, e.ece) == 0
                    && Arrays.equals(fpr, e.fpr) && Arrays.equals(tpr, e.tpr) && reliability.equals(e.reliability);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, count, positives, auc, logLoss, ece, Arrays.hashCode(fpr), Arrays.hashCode(tpr), reliability);
        }

        @Override
        public String toString() {
            return "LabelEvaluation[" + label + ", count=" + count + ", positives=" + positives + ", auc=" + auc
                    + ", logLoss=" + logLoss + ", ece=" + ece + ", roc points=" + fpr.length + ", bins=" + reliability.size() + "]";
        }
    }

    /** One bin of a reliability diagram: the mean predicted probability, the observed positive share, the count. */
    public record ReliabilityBin(double meanPredicted, double observed, long count) {
    }

    /**
     * The evaluation at one level.
     *
     * @param level            slice or study
     * @param weightedLogLoss  the RSNA weighted log loss (any counted twice)
     */
    public record LevelEvaluation(String level, double weightedLogLoss, List<LabelEvaluation> labels) {
        public LevelEvaluation {
            Objects.requireNonNull(level, "level");
            labels = copy(labels);
        }
    }

    /**
     * A threshold on the study-level probability of "any", chosen for a target sensitivity.
     *
     * @param name              e.g. {@code high-sensitivity}
     * @param targetSensitivity what it was chosen for
     */
    public record OperatingPoint(String name, double targetSensitivity, double threshold, Estimate sensitivity,
                                 Estimate specificity, Estimate ppv, Estimate npv, long tp, long fp, long tn, long fn) {
        public OperatingPoint {
            sensitivity = sensitivity == null ? Estimate.UNKNOWN : sensitivity;
            specificity = specificity == null ? Estimate.UNKNOWN : specificity;
            ppv = ppv == null ? Estimate.UNKNOWN : ppv;
            npv = npv == null ? Estimate.UNKNOWN : npv;
        }
    }

    /**
     * The "any" figures of one subgroup.
     *
     * @param kind        what the strata split by, e.g. {@code manufacturer}
     * @param value       the subgroup, e.g. the manufacturer's name as recorded in DICOM (any text)
     * @param sensitivity at the primary operating point
     */
    public record Stratum(String level, String kind, String value, long count, long positives, Estimate auc,
                          Estimate sensitivity) {
        public Stratum {
            auc = auc == null ? Estimate.UNKNOWN : auc;
            sensitivity = sensitivity == null ? Estimate.UNKNOWN : sensitivity;
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
