package org.ich.score;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.data.SamplePipeline;
import org.ich.train.data.SliceSample;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Probabilities of a minibatch of slices: each slice goes through validation's input pipeline (resize to the model's
 * size, bytes to [0, 1]), every test-time view is scored, and the sigmoid outputs are averaged per slice.
 */
public final class SlicePredictor {
    private final ComputationGraph net;
    private final SamplePipeline pipeline;
    private final List<Tta> views;

    public SlicePredictor(ComputationGraph net, int size, List<Tta> views) {
        if (views.isEmpty()) throw new IllegalArgumentException("at least one test-time view is needed (identity)");
        this.net = net;
        this.pipeline = SamplePipeline.plain(size);
        this.views = List.copyOf(views);
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
            double[][] probs = output(Nd4j.create(x, new long[] {n, channels, size, size}, 'c'));
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
