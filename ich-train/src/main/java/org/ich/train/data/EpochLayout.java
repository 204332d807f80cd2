package org.ich.train.data;

import java.io.Serializable;

/**
 * How an epoch's slices become optimiser steps with parameter averaging: full minibatches, cut into rounds of
 * exactly {@code workers x frequency} minibatches, each round one averaging.
 *
 * <p>Left to itself, DL4J's averaging master cuts an epoch into floor(minibatches / (workers x frequency)) random
 * splits and lets each worker fit at most {@code frequency} minibatches of its share, so up to a round's worth of
 * slices sat each epoch out, and the network's iteration count (the learning-rate schedule's clock) advanced by
 * {@code frequency} per round whatever was fitted. Here ich hands DL4J one round at a time, each exactly full: the
 * last round is topped up with slices drawn again from the start of the epoch's (shuffled) order, so every slice is
 * fitted at least once per epoch, and a few twice; the frequency is lowered where that keeps the top-up smaller. With one worker, averaging is a no-op that still costs a
 * broadcast and a collect of the weights and the optimiser state, so the epoch is a single round.
 *
 * @param slices    training slices in the epoch
 * @param batchSize slices per minibatch
 * @param workers   replicas fitting at once
 * @param frequency minibatches each worker fits per round
 * @param rounds    averagings in the epoch
 */
public record EpochLayout(long slices, int batchSize, int workers, int frequency, int rounds) implements Serializable {

    public EpochLayout {
        if (slices < 1 || batchSize < 1 || workers < 1 || frequency < 1 || rounds < 1) {
            throw new IllegalArgumentException("an epoch needs at least one slice, batch, worker, step and round");
        }
    }

    /**
     * @param averagingFrequency ich.train.averaging-frequency: minibatches per worker between averagings (W > 1)
     */
    public static EpochLayout of(long slices, int batchSize, int workers, int averagingFrequency) {
        long batches = (slices + batchSize - 1) / batchSize;
        if (workers == 1) {
            return new EpochLayout(slices, batchSize, 1, Math.toIntExact(batches), 1);
        }
        long perRound = (long) workers * averagingFrequency;
        long rounds = (batches + perRound - 1) / perRound;
        // As many rounds as the frequency asks for, each as short as still covers the epoch, so the top-up stays
        // under one minibatch per worker and round (22 minibatches on 2 workers at frequency 5: 3 rounds of 2 x 4).
        int frequency = Math.toIntExact((batches + workers * rounds - 1) / (workers * rounds));
        return new EpochLayout(slices, batchSize, workers, frequency, Math.toIntExact(rounds));
    }

    /** Minibatches in one round. */
    public long batchesPerRound() {
        return (long) workers * frequency;
    }

    /**
     * Sample positions in the epoch: every slice once, plus the top-up. With one worker the last minibatch may be
     * short (as a plain training loop's is); with several every minibatch is full.
     */
    public long positions() {
        return workers == 1 ? slices : rounds * batchesPerRound() * batchSize;
    }

    /** Slices fitted a second time to fill the last round. */
    public long topUp() {
        return positions() - slices;
    }

    /** Optimiser steps each replica takes in the epoch: the learning-rate schedule's clock. */
    public long stepsPerEpoch() {
        return (long) rounds * frequency;
    }

    /** The round a sample position is fitted in. */
    public int roundOf(long position) {
        return Math.toIntExact(position / batchSize / frequency / workers);
    }

    /** The minibatch (numbered through the epoch) a sample position belongs to. */
    public long batchOf(long position) {
        return position / batchSize;
    }
}
