package org.ich.train.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ich.domain.Labels;
import org.nd4j.evaluation.classification.EvaluationBinary;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Per-label ROC AUC ({@link RankAuc}) and accuracy (DL4J's {@link EvaluationBinary}, threshold 0.5). */
public final class LabelMetrics {

    private LabelMetrics() {
    }

    /** Columns are the first {@code probs[0].length} labels of {@link Labels#NAMES} (one for the ANY head). */
    public static List<LabelScore> compute(double[][] probs, int[][] labels) {
        if (probs.length == 0) {
            throw new IllegalArgumentException("No samples to score");
        }
        return compute(probs, labels, Labels.NAMES.subList(0, probs[0].length));
    }

    public static List<LabelScore> compute(double[][] probs, int[][] labels, List<String> names) {
        if (probs.length == 0 || probs.length != labels.length) {
            throw new IllegalArgumentException(probs.length + " prediction rows but " + labels.length + " label rows");
        }
        INDArray predicted = Nd4j.createFromArray(probs);
        INDArray truth = Nd4j.createFromArray(labels).castTo(DataType.DOUBLE);
        if (!predicted.equalShapes(truth) || predicted.size(1) != names.size()) {
            throw new IllegalArgumentException("Shapes differ: predictions " + shape(predicted) + ", labels "
                    + shape(truth) + ", names " + names.size());
        }
        EvaluationBinary evaluation = new EvaluationBinary();
        evaluation.eval(truth, predicted);

        List<LabelScore> scores = new ArrayList<>(names.size());
        for (int j = 0; j < names.size(); j++) {
            double[] column = new double[probs.length];
            int[] truthColumn = new int[probs.length];
            long positives = 0;
            for (int i = 0; i < probs.length; i++) {
                column[i] = probs[i][j];
                truthColumn[i] = labels[i][j];
                positives += labels[i][j];
            }
            scores.add(new LabelScore(names.get(j), probs.length, positives,
                    RankAuc.of(column, truthColumn), evaluation.accuracy(j)));
        }
        return scores;
    }

    private static String shape(INDArray array) {
        return Arrays.toString(array.shape());
    }
}
