package org.ich.train.sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns series into the context graph's steps, minibatches and scores.
 *
 * <p>A step is one slice: its standardised embedding, that embedding minus the previous and minus the next slice's
 * (0 at either end of the series), the slice stage's logits, and the gaps to the previous and next slice relative
 * to the series' median gap. The differences make "this slice is unlike its neighbours" a linear feature, and the
 * gaps tell a missing or doubled slice from regular spacing, where a neighbour's evidence means less.
 *
 * <p>Minibatches pad every series to the longest with all-zero steps and mask them: the graph ignores them in its
 * outputs, its loss and its gradients ({@code ContextModelsTest}).
 */
public final class SeriesSteps {

    /** A gap this many median gaps or more (a missing run of slices) reads the same. */
    static final float MAX_GAP_RATIO = 5f;

    /** Keeps a slice stage's saturated probability (logit +-infinity in float) a usable input. */
    static final float MAX_LOGIT = 16f;

    /**
     * What the context model makes of one series.
     *
     * @param slices    per slice, in the series' order, a probability per output
     * @param seriesAny the probability that some slice shows a bleed
     */
    public record Scores(String seriesKey, List<String> sliceKeys, double[][] slices, double seriesAny)
            implements java.io.Serializable {
    }

    private SeriesSteps() {
    }

    /** One series' steps, feature-major: {@code [stepFeatures][steps]}. */
    public static float[][] features(SeriesExample s, StepScaling scaling) {
        int e = scaling.embedding();
        if (s.embedding() != e) {
            throw new IllegalArgumentException("Series " + s.seriesKey() + " has embeddings of width "
                    + s.embedding() + ", the scaling " + e);
        }
        int steps = s.steps();
        int logits = s.logits()[0].length;
        float[][] f = new float[3 * e + logits + ContextSpec.GAP_FEATURES][steps];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < e; i++) {
                f[i][t] = scaling.standardised(i, s.embeddings()[t][i]);
            }
        }
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < e; i++) {
                f[e + i][t] = t > 0 ? f[i][t] - f[i][t - 1] : 0f;
                f[2 * e + i][t] = t < steps - 1 ? f[i][t] - f[i][t + 1] : 0f;
            }
            for (int j = 0; j < logits; j++) {
                f[3 * e + j][t] = Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, s.logits()[t][j]));
            }
        }
        gaps(s.z(), f[3 * e + logits], f[3 * e + logits + 1]);
        return f;
    }

    /**
     * Training or evaluation minibatch: inputs {@code [n, stepFeatures, longest]} with their step mask, labels per
     * slice {@code [n, outputs, longest]} masked like the inputs and per series {@code [n, 1]}, in the graph's
     * output order. Unlabelled series get all-zero labels.
     */
    public static MultiDataSet batch(List<SeriesExample> series, ContextSpec spec, StepScaling scaling) {
        Padded padded = pad(series, spec, scaling);
        int n = series.size();
        int longest = padded.longest();
        int outputs = spec.outputs();
        float[] slices = new float[n * outputs * longest];
        float[] any = new float[n];
        for (int b = 0; b < n; b++) {
            SeriesExample s = series.get(b);
            if (s.labels() == null) {
                continue;
            }
            for (int t = 0; t < s.steps(); t++) {
                if (s.labels()[t].length != outputs) {
                    throw new IllegalArgumentException("Series " + s.seriesKey() + " has " + s.labels()[t].length
                            + " labels per slice, the model " + outputs);
                }
                for (int j = 0; j < outputs; j++) {
                    slices[(b * outputs + j) * longest + t] = s.labels()[t][j];
                }
            }
            any[b] = s.seriesAny();
        }
        return new MultiDataSet(
                new INDArray[] {padded.features()},
                new INDArray[] {Nd4j.create(slices).reshape('c', n, outputs, longest), Nd4j.create(any).reshape(n, 1)},
                new INDArray[] {padded.mask()},
                new INDArray[] {padded.mask().dup(), null});
    }

    /**
     * Eval-mode probabilities, {@code batchSize} series at a time in the given order. Padding and masks make each
     * series' scores those it gets alone, up to float rounding in the batched matrix products.
     */
    public static List<Scores> predict(ComputationGraph net, List<SeriesExample> series, ContextSpec spec,
                                       StepScaling scaling, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        List<Scores> scores = new ArrayList<>(series.size());
        for (int from = 0; from < series.size(); from += batchSize) {
            List<SeriesExample> chunk = series.subList(from, Math.min(series.size(), from + batchSize));
            Padded padded = pad(chunk, spec, scaling);
            INDArray[] out = net.output(false, new INDArray[] {padded.features()}, new INDArray[] {padded.mask()});
            float[] slices = out[0].dup('c').data().asFloat();
            int longest = padded.longest();
            for (int b = 0; b < chunk.size(); b++) {
                SeriesExample s = chunk.get(b);
                double[][] probabilities = new double[s.steps()][spec.outputs()];
                for (int t = 0; t < s.steps(); t++) {
                    for (int j = 0; j < spec.outputs(); j++) {
                        probabilities[t][j] = slices[(b * spec.outputs() + j) * longest + t];
                    }
                }
                scores.add(new Scores(s.seriesKey(), s.sliceKeys(), probabilities, out[1].getDouble(b, 0)));
            }
        }
        return scores;
    }

    private record Padded(INDArray features, INDArray mask, int longest) {
    }

    private static Padded pad(List<SeriesExample> series, ContextSpec spec, StepScaling scaling) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("A minibatch needs at least one series");
        }
        if (scaling.embedding() != spec.embedding()) {
            throw new IllegalArgumentException("The scaling has " + scaling.embedding() + " dimensions, the model "
                    + spec.embedding());
        }
        int n = series.size();
        int width = spec.stepFeatures();
        int longest = series.stream().mapToInt(SeriesExample::steps).max().orElseThrow();
        float[] features = new float[n * width * longest];
        float[] mask = new float[n * longest];
        for (int b = 0; b < n; b++) {
            SeriesExample s = series.get(b);
            if (s.logits()[0].length != spec.logits()) {
                throw new IllegalArgumentException("Series " + s.seriesKey() + " has " + s.logits()[0].length
                        + " logits per slice, the model " + spec.logits());
            }
            float[][] f = features(s, scaling);
            for (int i = 0; i < width; i++) {
                System.arraycopy(f[i], 0, features, (b * width + i) * longest, s.steps());
            }
            Arrays.fill(mask, b * longest, b * longest + s.steps(), 1f);
        }
        return new Padded(Nd4j.create(features).reshape('c', n, width, longest),
                Nd4j.create(mask).reshape('c', n, longest), longest);
    }

    /** Fills the gap features; 0 where a neighbour is missing or either position unknown. */
    private static void gaps(double[] z, float[] previous, float[] next) {
        int steps = z.length;
        double[] gaps = new double[Math.max(0, steps - 1)];
        for (int t = 0; t + 1 < steps; t++) {
            gaps[t] = Math.abs(z[t + 1] - z[t]);
        }
        double median = median(gaps);
        for (int t = 0; t < steps; t++) {
            previous[t] = t > 0 ? ratio(gaps[t - 1], median) : 0f;
            next[t] = t + 1 < steps ? ratio(gaps[t], median) : 0f;
        }
    }

    private static float ratio(double gap, double median) {
        if (!Double.isFinite(gap) || !(median > 0)) {
            return 0f;
        }
        return (float) Math.min(MAX_GAP_RATIO, gap / median);
    }

    /** Of the finite gaps; NaN when there are none. */
    private static double median(double[] gaps) {
        double[] known = Arrays.stream(gaps).filter(Double::isFinite).sorted().toArray();
        if (known.length == 0) {
            return Double.NaN;
        }
        int middle = known.length / 2;
        return known.length % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
    }
}
