package org.ich.train.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ich.domain.Labels;
import org.ich.train.metrics.LabelMetrics;
import org.ich.train.metrics.LabelScore;
import org.ich.train.metrics.RankAuc;
import org.ich.train.metrics.RsnaMetric;
import org.ich.train.sequence.job.SeriesScores;

/**
 * What one epoch of the context stage achieved on the valid series: the RSNA weighted log loss and AUC per label over
 * their slices (the same figures as the slice stage's, so the two compare), and the series-level AUC of "any".
 *
 * @param trainLoss DL4J's score of the last minibatch fitted: per series, the slices' weighted log losses summed over the
 *                  series plus the series-level loss (so it scales with series length, unlike validLoss)
 */
record ContextEpoch(int epoch, int epochs, long trainSeries, double trainLoss, double validLoss, List<LabelScore> labels,
                    long validSeries, double seriesAucAny, double seconds) {

    static ContextEpoch of(int epoch, int epochs, long trainSeries, double trainLoss, List<SeriesScores> valid,
                           double seconds) {
        int slices = 0;
        for (SeriesScores s : valid) slices += s.slices().length;
        double[][] probs = new double[slices][];
        int[][] labels = new int[slices][];
        double[] seriesScores = new double[valid.size()];
        int[] seriesLabels = new int[valid.size()];
        int at = 0;
        for (int i = 0; i < valid.size(); i++) {
            SeriesScores s = valid.get(i);
            for (int t = 0; t < s.slices().length; t++, at++) {
                probs[at] = s.probabilities()[t];
                labels[at] = s.labels()[t];
                seriesLabels[i] = Math.max(seriesLabels[i], s.labels()[t][Labels.ANY]);
            }
            seriesScores[i] = s.seriesAny();
        }
        double[] weights = probs[0].length == 1 ? new double[] {1.0} : Labels.rsnaWeights();
        return new ContextEpoch(epoch, epochs, trainSeries, trainLoss, RsnaMetric.weightedLogLoss(probs, labels, weights),
                LabelMetrics.compute(probs, labels), valid.size(), RankAuc.of(seriesScores, seriesLabels), seconds);
    }

    double auc(String label) {
        return labels.stream().filter(l -> l.label().equals(label)).mapToDouble(LabelScore::auc).findFirst()
                .orElse(Double.NaN);
    }

    String summary() {
        return String.format(Locale.ROOT, "context epoch %d/%d: train loss %.4f per series, valid loss %.4f, AUC(any) %.3f,"
                        + " series AUC(any) %.3f (%d series), %.1f s", epoch, epochs, trainLoss, validLoss,
                auc(Labels.NAMES.get(Labels.ANY)), seriesAucAny, validSeries, seconds);
    }

    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", epoch);
        out.put("epochs", epochs);
        out.put("train_series", trainSeries);
        out.put("train_loss", finite(trainLoss));
        out.put("valid_loss", finite(validLoss));
        Map<String, Object> auc = new LinkedHashMap<>();
        for (LabelScore l : labels) auc.put(l.label(), finite(l.auc()));
        out.put("auc", auc);
        out.put("valid_series", validSeries);
        out.put("series_auc_any", finite(seriesAucAny));
        out.put("seconds", finite(seconds));
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
