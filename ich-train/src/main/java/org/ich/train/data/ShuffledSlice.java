package org.ich.train.data;

import java.io.Serializable;

/**
 * A training slice on its way through the epoch's shuffle into minibatches. Not the table's {@code Row}: Spark's
 * size estimator walks every sampled row's schema by reflection, which cost more than the training itself (measured:
 * an epoch at 17 img/s). Not the {@link SliceSample} record: Spark's Kryo cannot rebuild records. A plain class
 * with a no-argument constructor, which both of Spark's serialisers take.
 */
final class ShuffledSlice implements Serializable {
    private String key;
    private byte[] tensor;
    private int channels;
    private int size;
    private int[] labels;

    ShuffledSlice() {
    }

    static ShuffledSlice of(SliceSample sample) {
        ShuffledSlice s = new ShuffledSlice();
        s.key = sample.key();
        s.tensor = sample.tensor();
        s.channels = sample.channels();
        s.size = sample.size();
        s.labels = sample.labels();
        return s;
    }

    SliceSample sample() {
        return new SliceSample(key, tensor, channels, size, labels);
    }
}
