package org.ich.train.sequence;

import java.util.Arrays;
import java.util.List;

/**
 * Per-dimension standardisation of the slice embeddings, fitted on the train series and stored with the model: pooled
 * ReLU features are non-negative with widely different scales, which a freshly initialised LSTM or convolution
 * would otherwise see as a few saturating inputs.
 *
 * @param mean per embedding dimension
 * @param sd   per embedding dimension, at least {@link #MIN_SD}
 */
public record StepScaling(float[] mean, float[] sd) implements java.io.Serializable {

    /** A dimension constant over the train set (a dead ReLU) stays 0 instead of dividing by 0. */
    public static final float MIN_SD = 1e-6f;

    public StepScaling {
        if (mean == null || sd == null || mean.length != sd.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and sd must have one equal, positive length, got "
                    + (mean == null ? "none" : mean.length) + " and " + (sd == null ? "none" : sd.length));
        }
        for (int i = 0; i < sd.length; i++) {
            if (!Float.isFinite(mean[i]) || !(sd[i] >= MIN_SD) || Float.isInfinite(sd[i])) {
                throw new IllegalArgumentException("dimension " + i + ": mean " + mean[i] + " and sd " + sd[i]
                        + " must be finite, sd >= " + MIN_SD);
            }
        }
    }

    /** Mean and population standard deviation over every slice of {@code train}. */
    public static StepScaling fit(List<SeriesExample> train) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("Cannot fit a scaling to no series");
        }
        int width = train.get(0).embedding();
        double[] sum = new double[width];
        long counted = 0;
        for (SeriesExample series : train) {
            if (series.embedding() != width) {
                throw new IllegalArgumentException("Series " + series.seriesKey() + " has embeddings of width "
                        + series.embedding() + ", expected " + width);
            }
            for (float[] slice : series.embeddings()) {
                for (int i = 0; i < width; i++) {
                    sum[i] += slice[i];
                }
            }
            counted += series.steps();
        }
        long slices = counted;
        double[] mean = new double[width];
        Arrays.setAll(mean, i -> sum[i] / slices);
        double[] squares = new double[width];
        for (SeriesExample series : train) {
            for (float[] slice : series.embeddings()) {
                for (int i = 0; i < width; i++) {
                    double d = slice[i] - mean[i];
                    squares[i] += d * d;
                }
            }
        }
        float[] m = new float[width];
        float[] sd = new float[width];
        for (int i = 0; i < width; i++) {
            m[i] = (float) mean[i];
            sd[i] = Math.max(MIN_SD, (float) Math.sqrt(squares[i] / slices));
        }
        return new StepScaling(m, sd);
    }

    /**
     * From sums over {@code count} slices, as a distributed aggregation gives them (one pass: the embeddings are
     * standardised ReLU features, of a scale where the single-pass variance loses nothing that matters).
     */
    public static StepScaling ofMoments(double[] sum, double[] sumOfSquares, double count) {
        float[] m = new float[sum.length];
        float[] sd = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            double mean = sum[i] / count;
            m[i] = (float) mean;
            // A feature constant over the train slices (a ReLU channel that never fires) gets the floor.
            sd[i] = Math.max(MIN_SD, (float) Math.sqrt(Math.max(0, sumOfSquares[i] / count - mean * mean)));
        }
        return new StepScaling(m, sd);
    }

    /** Leaves embeddings as they are. */
    public static StepScaling identity(int embedding) {
        float[] sd = new float[embedding];
        Arrays.fill(sd, 1f);
        return new StepScaling(new float[embedding], sd);
    }

    int embedding() {
        return mean.length;
    }

    float standardised(int dimension, float value) {
        return (value - mean[dimension]) / sd[dimension];
    }
}
