package org.ich.train.model;

import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.data.SamplePipeline;
import org.ich.train.data.SliceSample;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Probabilities of a minibatch of slices, and for the context stage their embeddings: each slice goes through
 * validation's input pipeline (resize to the model's size, bytes to [0, 1]), every test-time view is run in eval mode,
 * and the sigmoid outputs and the pooled features ({@link ResNets#FEATURES}) are averaged per slice over the views.
 */
public final class SlicePredictor {
    private final ComputationGraph net;
    private final boolean channelsLast;
    private final SamplePipeline pipeline;
    private final List<Tta> views;

    /** @param channelsLast the network reads N x H x W x C (see {@link #prepare}); else N x C x H x W */
    public SlicePredictor(ComputationGraph net, boolean channelsLast, int size, List<Tta> views) {
        if (views.isEmpty()) throw new IllegalArgumentException("at least one test-time view is needed (identity)");
        this.net = net;
        this.channelsLast = channelsLast;
        this.pipeline = SamplePipeline.plain(size);
        this.views = List.copyOf(views);
    }

    public SlicePredictor(ComputationGraph net, int size, List<Tta> views) {
        this(net, false, size, views);
    }

    /** A restored network as scoring runs it: channels-last when it is a network ich built (faster inference). */
    public record Prepared(ComputationGraph net, boolean channelsLast) {
    }

    /** @param architecture the network ich built ({@code resnet18}, ...), or null for one of another shape */
    public static Prepared prepare(ComputationGraph restored, String architecture, int channels, int size, int outputs) {
        if (architecture != null) {
            ModelSpec spec = ModelSpec.of(architecture, channels, size, outputs == 1 ? Head.ANY : Head.SIX);
            Optional<ComputationGraph> nhwc = ResNets.channelsLast(restored, spec);
            if (nhwc.isPresent()) return new Prepared(nhwc.get(), true);
        }
        return new Prepared(restored, false);
    }

    public SlicePredictor(Prepared prepared, int size, List<Tta> views) {
        this(prepared.net(), prepared.channelsLast(), size, views);
    }

    /** One row per sample, one column per network output. */
    public double[][] predict(List<SliceSample> batch) {
        return run(batch, false).probabilities();
    }

    /**
     * A minibatch's probabilities ({@code [slice][output]}) and, when asked for, its pooled features
     * ({@code [slice][feature]}, else null), both averaged over the test-time views.
     */
    public record Embedded(double[][] probabilities, float[][] features) {
    }

    /** Probabilities and pooled features of each slice: what the context stage reads. */
    public Embedded embed(List<SliceSample> batch) {
        return run(batch, true);
    }

    /** Input height and width the network reads; {@link #predictInputs} takes planes of this size. */
    public int size() {
        return pipeline.size();
    }

    /**
     * Probabilities ({@code [input][output]}) of inputs already in the network's input form: C x S x S floats in
     * [0, 1] at {@link #size()}, as validation's pipeline makes them from a slice's bytes (no resizing here), run
     * through every test-time view like {@link #predict}. For callers that alter the input first (occlusion maps).
     */
    public double[][] predictInputs(float[][] inputs, int channels) {
        checkInputs(inputs, channels);
        return run(inputs, channels, false).probabilities();
    }

    private void checkInputs(float[][] inputs, int channels) {
        int plane = channels * pipeline.size() * pipeline.size();
        for (float[] x : inputs) {
            if (x.length != plane) {
                throw new IllegalArgumentException("an input has " + x.length + " values, expected " + channels + " x "
                        + pipeline.size() + " x " + pipeline.size());
            }
        }
    }

    /**
     * Log-odds ({@code [input][output]}) of inputs as {@link #predictInputs} takes them, before the sigmoid: for ich's
     * networks the dense head applied in double precision to the pooled features (averaged over the views, which
     * the head is linear in), so a saturated output still ranks inputs where float32 probabilities have all become
     * 1.0; for a network of another shape the clipped log-odds of its probabilities.
     */
    public double[][] logitsOfInputs(float[][] inputs, int channels) {
        double[][] head = denseHead();
        if (head == null) {
            double[][] p = predictInputs(inputs, channels);
            for (double[] row : p) for (int j = 0; j < row.length; j++) row[j] = Logit.of(row[j]);
            return p;
        }
        checkInputs(inputs, channels);
        float[][] pooled = run(inputs, channels, true).features();
        int outputs = head[0].length, in = head.length - 1;
        double[][] logits = new double[pooled.length][outputs];
        for (int i = 0; i < pooled.length; i++) {
            for (int j = 0; j < outputs; j++) {
                double z = head[in][j];
                for (int k = 0; k < in; k++) z += pooled[i][k] * head[k][j];
                logits[i][j] = z;
            }
        }
        return logits;
    }

    /** The output layer's weights (rows 0..n-1) and bias (row n) when it is a dense layer on the pooled features. */
    private double[][] denseHead() {
        String output = net.getConfiguration().getNetworkOutputs().get(0);
        if (!List.of(ResNets.FEATURES).equals(net.getConfiguration().getVertexInputs().get(output))
                || !(net.getLayer(output) instanceof org.deeplearning4j.nn.layers.BaseOutputLayer<?> layer)) {
            return null;
        }
        double[][] w = layer.getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] b = layer.getParam("b").castTo(DataType.DOUBLE).toDoubleVector();
        double[][] head = java.util.Arrays.copyOf(w, w.length + 1);
        head[w.length] = b;
        return head;
    }

    private Embedded run(List<SliceSample> batch, boolean features) {
        int n = batch.size();
        if (n == 0) return new Embedded(new double[0][], features ? new float[0][] : null);
        int channels = batch.get(0).channels();
        float[][] planes = new float[n][];
        for (int i = 0; i < n; i++) {
            SliceSample s = batch.get(i);
            if (s.channels() != channels) {
                throw new IllegalStateException("slice " + s.key() + " has " + s.channels() + " channels, the batch " + channels);
            }
            planes[i] = pipeline.features(s);
        }
        return run(planes, channels, features);
    }

    private Embedded run(float[][] planes, int channels, boolean features) {
        int n = planes.length, size = pipeline.size();
        if (n == 0) return new Embedded(new double[0][], features ? new float[0][] : null);
        int plane = channels * size * size;
        double[][] probs = null;
        float[][] pooled = null;
        for (Tta view : views) {
            float[] x = new float[n * plane];
            for (int i = 0; i < n; i++) System.arraycopy(view.apply(planes[i], channels, size), 0, x, i * plane, plane);
            INDArray input = Nd4j.create(x, new long[] {n, channels, size, size}, 'c');
            INDArray[] out = output(channelsLast ? input.permute(0, 2, 3, 1).dup('c') : input, features);
            probs = add(probs, out[0].castTo(DataType.DOUBLE).toDoubleMatrix());
            if (features) pooled = add(pooled, out[1].castTo(DataType.FLOAT).toFloatMatrix());
        }
        if (views.size() > 1) {
            for (double[] row : probs) for (int j = 0; j < row.length; j++) row[j] /= views.size();
            if (features) for (float[] row : pooled) for (int j = 0; j < row.length; j++) row[j] /= views.size();
        }
        return new Embedded(probs, pooled);
    }

    private static double[][] add(double[][] sum, double[][] more) {
        if (sum == null) return more;
        for (int i = 0; i < sum.length; i++) for (int j = 0; j < sum[i].length; j++) sum[i][j] += more[i][j];
        return sum;
    }

    private static float[][] add(float[][] sum, float[][] more) {
        if (sum == null) return more;
        for (int i = 0; i < sum.length; i++) for (int j = 0; j < sum[i].length; j++) sum[i][j] += more[i][j];
        return sum;
    }

    /** The output layer's activations and, with {@code features}, the pooled features, in one forward pass. */
    private INDArray[] output(INDArray x, boolean features) {
        // One network per JVM serves every task thread: DL4J graphs are not safe for concurrent output().
        synchronized (net) {
            if (!features) return new INDArray[] {net.outputSingle(false, x)};
            INDArray[] out = net.output(List.of(net.getConfiguration().getNetworkOutputs().get(0), ResNets.FEATURES),
                    false, new INDArray[] {x}, null);
            return new INDArray[] {out[0].detach(), out[1].detach()};
        }
    }
}
