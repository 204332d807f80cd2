package org.ich.train.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The population statistics of every trainable batch-norm layer for the network's <em>current</em> weights, measured
 * on sample inputs, and written over the running averages that inference mode uses ("precise BN", Wu and Johnson,
 * "Rethinking Batch in BatchNorm", 2021).
 *
 * <p>Why: DL4J, like PyTorch, keeps an exponential average (decay 0.9 per minibatch) of the batch statistics, each
 * measured under the weights of its own step. Near the peak of the one-cycle rate the weights move fast, the average
 * lags them, and inference mode normalises the last stages with a mean and spread the network no longer produces:
 * measured on the bench cohort, the running standard deviation of the last stage was 15-27% off, and the valid loss in
 * inference mode jumped (0.24 to 2.5) while the same weights with these statistics stayed at 0.15-0.26 (README,
 * "Training quality"). Recomputing them costs one forward pass over a sample and no change to training.
 *
 * <p>Batching-independent: per channel it sums the batch mean and mean square weighted by element count, so the
 * population variance comes out the same whether a sample batch holds one series or a shuffled mix. Frozen layers
 * (a frozen backbone's) are left alone: their statistics never move. Pure: no Spark; the sums are serialisable and
 * {@link #merge merge} across executors.
 */
public final class BatchNormStatistics implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Per layer: sum over batches of count x mean, count x mean square, per channel. */
    private final Map<String, double[][]> sums = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long inputs;

    /** How far the running averages were from the measured statistics, where they differed most. */
    public record Drift(String layer, double logStdRatio, double meanShift, long inputs) {
        public static final Drift NONE = new Drift("", 0, 0, 0);

        @Override
        public String toString() {
            return inputs == 0 ? "batch-norm statistics not measured"
                    : String.format("batch-norm statistics measured on %d inputs; the running averages were off by up to"
                    + " %.0f%% in spread and %.2f sd in mean (%s)", inputs, 100 * (Math.exp(logStdRatio) - 1), meanShift,
                    layer);
        }
    }

    /** Adds one minibatch: a training-mode forward pass (batch statistics, nothing updated). */
    public BatchNormStatistics add(ComputationGraph graph, INDArray features) {
        Map<String, INDArray> activations = graph.feedForward(new INDArray[] {features}, true, false);
        for (GraphVertex vertex : graph.getVertices()) {
            if (!(vertex.hasLayer() && vertex.getLayer() instanceof BatchNormalization bn)) {
                continue;
            }
            String input = graph.getConfiguration().getVertexInputs().get(vertex.getVertexName()).get(0);
            INDArray x = activations.get(input);
            int[] reduce = x.rank() == 2 ? new int[] {0}
                    : bn.layerConf().getCnn2DFormat() == CNN2DFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
            long n = x.length() / x.size(x.rank() == 2 || bn.layerConf().getCnn2DFormat() == CNN2DFormat.NCHW ? 1 : 3);
            // Two reductions in the activations' own type, no copy of them: only the per-channel results go to double.
            double[] mean = x.mean(reduce).castTo(DataType.DOUBLE).toDoubleVector();
            double[] norm = x.norm2(reduce).castTo(DataType.DOUBLE).toDoubleVector();
            double[] square = new double[norm.length];
            for (int c = 0; c < norm.length; c++) square[c] = norm[c] * norm[c] / n;
            double[][] s = sums.computeIfAbsent(vertex.getVertexName(), k -> new double[2][mean.length]);
            for (int c = 0; c < mean.length; c++) {
                s[0][c] += n * mean[c];
                s[1][c] += n * square[c];
            }
            counts.merge(vertex.getVertexName(), n, Long::sum);
        }
        inputs += features.size(0);
        return this;
    }

    public BatchNormStatistics merge(BatchNormStatistics other) {
        other.sums.forEach((layer, s) -> {
            double[][] mine = sums.computeIfAbsent(layer, k -> new double[2][s[0].length]);
            for (int c = 0; c < s[0].length; c++) {
                mine[0][c] += s[0][c];
                mine[1][c] += s[1][c];
            }
        });
        other.counts.forEach((layer, n) -> counts.merge(layer, n, Long::sum));
        inputs += other.inputs;
        return this;
    }

    /** Inputs measured so far. */
    public long inputs() {
        return inputs;
    }

    /** The measured mean of a layer's input per channel (for tests). */
    double[] mean(String layer) {
        double[][] s = sums.get(layer);
        double[] mean = new double[s[0].length];
        for (int c = 0; c < mean.length; c++) mean[c] = s[0][c] / counts.get(layer);
        return mean;
    }

    /** The measured (population) variance of a layer's input per channel. */
    double[] variance(String layer) {
        double[][] s = sums.get(layer);
        double[] mean = mean(layer);
        double[] var = new double[mean.length];
        for (int c = 0; c < var.length; c++) var[c] = Math.max(0, s[1][c] / counts.get(layer) - mean[c] * mean[c]);
        return var;
    }

    /**
     * Writes the measured statistics into {@code graph}'s batch-norm layers (the same network the sample was measured
     * on, or a copy of it) and says how far the running averages were. Nothing measured: nothing changes.
     */
    public Drift applyTo(ComputationGraph graph) {
        String worst = "";
        double worstRatio = 0, worstShift = 0;
        for (String layer : sums.keySet()) {
            BatchNormalization bn = (BatchNormalization) graph.getLayer(layer);
            double[] mean = mean(layer), var = variance(layer);
            double[] std = new double[var.length];
            // A channel that never fires has no spread: the layer's epsilon then decides, as in training mode.
            for (int c = 0; c < var.length; c++) std[c] = Math.sqrt(Math.max(var[c], 1e-12));
            INDArray globalMean = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            double[] oldMean = globalMean.toDoubleVector();
            double[] oldStd = runningStd(bn);
            for (int c = 0; c < var.length; c++) {
                double ratio = Math.abs(Math.log(oldStd[c] / std[c]));
                double shift = Math.abs(oldMean[c] - mean[c]) / Math.sqrt(var[c] + bn.layerConf().getEps());
                if (ratio + shift > worstRatio + worstShift) {
                    worst = layer;
                    worstRatio = ratio;
                    worstShift = shift;
                }
            }
            globalMean.assign(Nd4j.createFromArray(mean).castTo(globalMean.dataType()).reshape(globalMean.shape()));
            if (bn.layerConf().isUseLogStd()) {
                INDArray log10Std = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                double[] log = new double[std.length];
                for (int c = 0; c < std.length; c++) log[c] = Math.log10(std[c]);
                log10Std.assign(Nd4j.createFromArray(log).castTo(log10Std.dataType()).reshape(log10Std.shape()));
            } else {
                INDArray globalVar = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
                globalVar.assign(Nd4j.createFromArray(var).castTo(globalVar.dataType()).reshape(globalVar.shape()));
            }
        }
        return sums.isEmpty() ? Drift.NONE : new Drift(worst, worstRatio, worstShift, inputs);
    }

    private static double[] runningStd(BatchNormalization bn) {
        if (bn.layerConf().isUseLogStd()) {
            double[] log = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).toDoubleVector();
            double[] std = new double[log.length];
            for (int c = 0; c < log.length; c++) std[c] = Math.pow(10, log[c]);
            return std;
        }
        double[] var = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).toDoubleVector();
        double[] std = new double[var.length];
        for (int c = 0; c < var.length; c++) std[c] = Math.sqrt(Math.max(var[c], 1e-12));
        return std;
    }
}
