package org.ich.train.data;

import org.ich.config.Settings;

/**
 * How slices reach the network (keys under {@code ich.train}).
 *
 * @param batchSize  slices per minibatch, i.e. per worker and step
 * @param neighbours 2.5D input: the slices above and below as extra channels
 * @param sampler    which negatives an epoch keeps
 * @param shuffle    reshuffle the training slices every epoch (else table order, series by series)
 */
public record DataConfig(int batchSize, boolean neighbours, NegativeSampler sampler, boolean shuffle,
                         Augmentation augmentation, long seed) {

    public static DataConfig from(Settings s) {
        long seed = s.longValue("ich.train.seed", Long.MIN_VALUE, Long.MAX_VALUE);
        return new DataConfig(s.integer("ich.train.batch-size", 1, 100_000),
                s.bool("ich.train.neighbours"),
                new NegativeSampler(s.number("ich.train.negative-fraction", 1e-6, 1), seed),
                s.bool("ich.train.shuffle"),
                Augmentation.from(s), seed);
    }

    /** Channels the network sees for a table whose tensors have {@code tensorChannels}. */
    public int inputChannels(int tensorChannels) {
        return neighbours ? 3 * tensorChannels : tensorChannels;
    }
}
