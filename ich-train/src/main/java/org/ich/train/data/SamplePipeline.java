package org.ich.train.data;

import java.io.Serializable;
import java.util.Random;

/**
 * What happens to one slice between the table and the network: resize to the epoch's input size, scale
 * bytes to [0, 1] floats and, for training only, augment with a random stream keyed by the slice and
 * epoch. A pipeline without augmentation (validation, scoring) is a pure function of the tensor.
 */
public record SamplePipeline(int size, Augmentation augmentation, long seed, int epoch) implements Serializable {

    public static SamplePipeline plain(int size) {
        return new SamplePipeline(size, Augmentation.NONE, 0, 0);
    }

    public float[] features(SliceSample sample) {
        byte[] resized = PlaneResizer.resize(sample.tensor(), sample.channels(), sample.size(), size);
        float[] pixels = new float[resized.length];
        for (int i = 0; i < resized.length; i++) {
            pixels[i] = (resized[i] & 0xFF) / 255f;
        }
        if (augmentation.isNone()) {
            return pixels;
        }
        return augmentation.apply(pixels, sample.channels(), size, new Random(Seeds.of(seed, epoch, sample.key())));
    }
}
