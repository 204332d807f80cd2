package org.ich.train.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrainingPlanTest {

    @Test
    void splitsEpochsIntoPhasesAndSizes() {
        TrainingPlan plan = new TrainingPlan(6, 1, List.of(64, 128, 256));
        assertEquals(List.of(Phase.HEAD, Phase.ALL, Phase.ALL, Phase.ALL, Phase.ALL, Phase.ALL),
                java.util.stream.IntStream.range(0, 6).mapToObj(plan::phase).toList());
        assertEquals(List.of(64, 64, 128, 128, 256, 256),
                java.util.stream.IntStream.range(0, 6).mapToObj(plan::size).toList());
        assertTrue(plan.startsPhase(0));
        assertTrue(plan.startsPhase(1));
        assertFalse(plan.startsPhase(2));
        assertEquals(256, plan.finalSize());
        assertEquals(5, plan.phaseEpochs(Phase.ALL));
    }

    @Test
    void moreSizesThanEpochsStillEndsAtTheLast() {
        TrainingPlan plan = new TrainingPlan(2, 0, List.of(64, 96, 128));
        assertEquals(64, plan.size(0));
        assertEquals(96, plan.size(1));
        assertEquals(128, plan.finalSize());
    }
}
