package org.ich.train.data;

import java.io.Serializable;

/**
 * Class balance by dropping negatives: every slice with a positive label is kept, each negative with
 * probability {@code fraction}, drawn afresh each epoch so the model sees other negatives every time.
 */
public record NegativeSampler(double fraction, long seed) implements Serializable {

    public NegativeSampler {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
    }

    public boolean keepsAll() {
        return fraction == 1;
    }

    public boolean keep(String key, boolean positive, int epoch) {
        return positive || fraction == 1 || Seeds.unit(seed, epoch, key) < fraction;
    }
}
