package org.ich.score;

import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.data.SamplePipeline;
import org.ich.train.data.SliceSample;
import org.ich.train.model.Head;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Probabilities of a minibatch of slices: each slice goes through validation's input pipeline (resize to the model's
 * size, bytes to [0, 1]), every test-time view is scored, and the sigmoid outputs are averaged per slice.
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

    public static Prepared prepare(ComputationGraph restored, ScoringModel model) {
        if (model.architecture() != null) {
            ModelSpec spec = ModelSpec.of(model.architecture(), model.channels(), model.size(),
                    model.outputs() == 1 ? Head.ANY : Head.SIX);
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
        int n = batch.size(), size = pipeline.size();
        if (n == 0) return new double[0][];
        int channels = batch.get(0).channels();
        float[][] features = new float[n][];
        for (int i = 0; i < n; i++) {
            SliceSample s = batch.get(i);
            if (s.channels() != channels) {
                throw new IllegalStateException("slice " + s.key() + " has " + s.channels() + " channels, the batch " + channels);
            }
            features[i] = pipeline.features(s);
        }
        int plane = channels * size * size;
        double[][] sum = null;
        for (Tta view : views) {
            float[] x = new float[n * plane];
            for (int i = 0; i < n; i++) System.arraycopy(view.apply(features[i], channels, size), 0, x, i * plane, plane);
            INDArray input = Nd4j.create(x, new long[] {n, channels, size, size}, 'c');
            double[][] probs = output(channelsLast ? input.permute(0, 2, 3, 1).dup('c') : input);
            if (sum == null) {
                sum = probs;
            } else {
                for (int i = 0; i < n; i++) for (int j = 0; j < probs[i].length; j++) sum[i][j] += probs[i][j];
            }
        }
        if (views.size() > 1) {
            for (double[] row : sum) for (int j = 0; j < row.length; j++) row[j] /= views.size();
        }
        return sum;
    }

    private double[][] output(INDArray x) {
        // One network per JVM serves every task thread: DL4J graphs are not safe for concurrent output().
        synchronized (net) {
            return net.outputSingle(false, x).castTo(DataType.DOUBLE).toDoubleMatrix();
        }
    }
}
