package org.ich.train.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ich.domain.Labels;
import org.ich.train.metrics.LabelMetrics;
import org.ich.train.metrics.LabelScore;
import org.ich.train.metrics.RsnaMetric;
import org.ich.train.model.Head;

/**
 * What one epoch achieved.
 *
 * @param epoch       1-based
 * @param trainSlices the epoch's training slices (after negative sampling)
 * @param fittedSlices how many of them the workers fitted (see {@link EpochTrainer.Fitted})
 * @param trainLoss   mean over the epoch's minibatches of the training objective (weighted BCE, augmented slices)
 * @param validLoss   RSNA weighted log loss over the validation slices (for the ANY head: plain log loss)
 * @param learningRate the schedule's rate at the end of the epoch
 */
public record EpochMetrics(int epoch, int epochs, String phase, int size, long trainSlices, long fittedSlices,
                           long batches, double seconds, double trainLoss, double validLoss, List<LabelScore> labels,
                           double learningRate, long iteration) {

    static EpochMetrics of(int epoch, int epochs, String phase, int size, long trainSlices, long fittedSlices,
                           long batches, double seconds, double trainLoss, Predictions valid, Head head, double learningRate,
                           long iteration) {
        double[] weights = head == Head.ANY ? new double[] {1.0} : Labels.rsnaWeights();
        return new EpochMetrics(epoch, epochs, phase, size, trainSlices, fittedSlices, batches, seconds, trainLoss,
                RsnaMetric.weightedLogLoss(valid.probs(), valid.labels(), weights),
                LabelMetrics.compute(valid.probs(), valid.labels()), learningRate, iteration);
    }

    public double imagesPerSecond() {
        return seconds > 0 ? fittedSlices / seconds : 0;
    }

    public double auc(String label) {
        return labels.stream().filter(l -> l.label().equals(label)).mapToDouble(LabelScore::auc).findFirst()
                .orElse(Double.NaN);
    }

    /** One JSON object of metrics.json; non-finite numbers (AUC of a one-class label) become null. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", epoch);
        out.put("epochs", epochs);
        out.put("phase", phase);
        out.put("size", size);
        out.put("train_slices", trainSlices);
        out.put("fitted_slices", fittedSlices);
        out.put("batches", batches);
        out.put("seconds", finite(seconds));
        out.put("images_per_second", finite(imagesPerSecond()));
        out.put("train_loss", finite(trainLoss));
        out.put("valid_loss", finite(validLoss));
        out.put("learning_rate", finite(learningRate));
        out.put("iteration", iteration);
        Map<String, Object> perLabel = new LinkedHashMap<>();
        for (LabelScore score : labels) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("auc", finite(score.auc()));
            one.put("accuracy", finite(score.accuracy()));
            one.put("count", score.count());
            one.put("positives", score.positives());
            perLabel.put(score.label(), one);
        }
        out.put("labels", perLabel);
        return out;
    }

    static String human(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** The line printed after each epoch. */
    String summary() {
        StringBuilder aucs = new StringBuilder();
        for (LabelScore score : labels) {
            aucs.append(String.format(" %s %.3f/%.3f", score.label(), score.auc(), score.accuracy()));
        }
        return String.format("epoch %d/%d (%s, %d px): %d/%d slices fitted in %d batches, %.1f img/s, %s; train loss"
                        + " %.4f, valid loss %.4f; AUC/accuracy%s; lr %.3g", epoch, epochs,
                phase.toLowerCase(Locale.ROOT), size, fittedSlices, trainSlices, batches, imagesPerSecond(),
                human(seconds), trainLoss, validLoss, aucs, learningRate);
    }
}
