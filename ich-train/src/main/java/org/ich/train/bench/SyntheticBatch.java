package org.ich.train.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** A random minibatch shaped like ich's training input: NCHW floats and 0/1 targets for the sigmoid head. */
final class SyntheticBatch {

    private SyntheticBatch() {
    }

    static MultiDataSet of(int batch, int channels, int size, int outputs, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, channels, size, size);
        // Not all-zero targets: a constant label lets the loss collapse and would time an atypical backward pass.
        INDArray labels = Nd4j.rand(DataType.FLOAT, batch, outputs).gt(0.5).castTo(DataType.FLOAT);
        return new MultiDataSet(images, labels);
    }
}
