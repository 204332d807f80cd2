package org.ich.train.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Groups samples into minibatches as DL4J {@link MultiDataSet}s (features N x C x S x S, labels N x L,
 * float), pulling from the source only as each batch is built, so a partition streams through.
 */
public final class Batcher implements Iterator<MultiDataSet> {

    private final Iterator<SliceSample> samples;
    private final int batchSize;
    private final SamplePipeline pipeline;

    public Batcher(Iterator<SliceSample> samples, int batchSize, SamplePipeline pipeline) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.samples = samples;
        this.batchSize = batchSize;
        this.pipeline = pipeline;
    }

    @Override
    public boolean hasNext() {
        return samples.hasNext();
    }

    @Override
    public MultiDataSet next() {
        if (!samples.hasNext()) {
            throw new NoSuchElementException();
        }
        float[][] features = new float[batchSize][];
        int[][] labels = new int[batchSize][];
        int n = 0;
        int channels = 0;
        while (n < batchSize && samples.hasNext()) {
            SliceSample sample = samples.next();
            if (n > 0 && sample.channels() != channels) {
                throw new IllegalStateException("slice " + sample.key() + " has " + sample.channels()
                        + " channels, the batch " + channels);
            }
            channels = sample.channels();
            features[n] = pipeline.features(sample);
            labels[n] = sample.labels();
            n++;
        }
        return assemble(features, labels, n, channels, pipeline.size());
    }

    static MultiDataSet assemble(float[][] features, int[][] labels, int n, int channels, int size) {
        int sampleLength = channels * size * size;
        int outputs = labels[0].length;
        float[] x = new float[n * sampleLength];
        float[] y = new float[n * outputs];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features[i], 0, x, i * sampleLength, sampleLength);
            for (int j = 0; j < outputs; j++) {
                y[i * outputs + j] = labels[i][j];
            }
        }
        return new MultiDataSet(Nd4j.create(x, new long[] {n, channels, size, size}, 'c'),
                Nd4j.create(y, new long[] {n, outputs}, 'c'));
    }
}
