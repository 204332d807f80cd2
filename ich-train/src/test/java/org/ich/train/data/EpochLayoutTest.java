package org.ich.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EpochLayoutTest {

    @Test
    void oneWorkerFitsTheEpochInOneRoundWithEverySliceOnce() {
        EpochLayout layout = EpochLayout.of(691, 32, 1, 5);
        assertEquals(1, layout.rounds());
        assertEquals(22, layout.frequency(), "every minibatch of the epoch, the last one short");
        assertEquals(691, layout.positions());
        assertEquals(0, layout.topUp());
        assertEquals(22, layout.stepsPerEpoch());
        assertEquals(0, layout.roundOf(690));
        assertEquals(21, layout.batchOf(690));
    }

    @Test
    void severalWorkersGetFullRoundsAndTheLastIsToppedUp() {
        // 100 slices in minibatches of 8 = 13; 2 workers x 2 per round = 4 per round: 4 rounds, 16 minibatches.
        EpochLayout layout = EpochLayout.of(100, 8, 2, 2);
        assertEquals(4, layout.rounds());
        assertEquals(128, layout.positions());
        assertEquals(28, layout.topUp());
        assertEquals(8, layout.stepsPerEpoch(), "each replica steps frequency times per round");
        int[] perRound = new int[layout.rounds()];
        for (long p = 0; p < layout.positions(); p++) {
            perRound[layout.roundOf(p)]++;
        }
        for (int count : perRound) {
            assertEquals(2 * 2 * 8, count, "a round is exactly workers x frequency full minibatches");
        }
        assertEquals(0, layout.roundOf(31));
        assertEquals(1, layout.roundOf(32));
        assertEquals(3, layout.batchOf(31));
    }

    @Test
    void theFrequencyShrinksSoThatTheTopUpStaysUnderAMinibatchPerWorkerAndRound() {
        // 691 slices in minibatches of 32 = 22; at frequency 5 on 2 workers, 3 rounds of 2 x 4 rather than of 2 x 5.
        EpochLayout layout = EpochLayout.of(691, 32, 2, 5);
        assertEquals(3, layout.rounds());
        assertEquals(4, layout.frequency());
        assertEquals(768, layout.positions());
        assertEquals(77, layout.topUp());
        assertEquals(12, layout.stepsPerEpoch());
    }

    @Test
    void fewerSlicesThanARoundStillMakeOneFullRound() {
        EpochLayout layout = EpochLayout.of(5, 8, 2, 5);
        assertEquals(1, layout.rounds());
        assertEquals(1, layout.frequency());
        assertEquals(16, layout.positions(), "a full minibatch per worker, the 5 slices drawn again");
    }

    @Test
    void anEmptyEpochIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EpochLayout.of(0, 8, 1, 5));
    }
}
