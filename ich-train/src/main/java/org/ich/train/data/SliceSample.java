package org.ich.train.data;

import java.io.Serializable;

/**
 * One labelled slice as training reads it: its tensor (uint8, C x S x S, already stacked with its
 * neighbours for 2.5D inputs) and its 0/1 labels in the model's output order.
 */
public record SliceSample(String key, byte[] tensor, int channels, int size, int[] labels) implements Serializable {

    public SliceSample {
        if (tensor.length != (long) channels * size * size) {
            throw new IllegalArgumentException("slice " + key + ": tensor has " + tensor.length + " bytes, expected "
                    + channels + " x " + size + " x " + size);
        }
    }

    public boolean positive() {
        for (int label : labels) {
            if (label != 0) {
                return true;
            }
        }
        return false;
    }
}
