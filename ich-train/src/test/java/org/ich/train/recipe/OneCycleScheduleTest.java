package org.ich.train.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.ich.train.model.Head;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

class OneCycleScheduleTest {

    /** max 1e-2, start 1e-3 (div 10), floor 1e-5 (final div 100), 100 steps, 20 of them warming up. */
    private final OneCycleSchedule schedule = new OneCycleSchedule(1e-2, 0, 100, 0.2, 10, 100);

    @Test
    void warmsUpFromMaxOverDivToMax() {
        assertEquals(1e-3, schedule.valueAt(0, 0), 1e-15);
        // Half-way through the warm-up the cosine is half-way: 1e-3 + (1e-2 - 1e-3) / 2.
        assertEquals(5.5e-3, schedule.valueAt(10, 0), 1e-15);
        assertEquals(1e-2, schedule.valueAt(20, 0), 1e-15);
    }

    @Test
    void annealsToTheFloorAndStaysThere() {
        // Half-way through the anneal: 1e-5 + (1e-2 - 1e-5) / 2.
        assertEquals(0.005005, schedule.valueAt(60, 1), 1e-15);
        assertEquals(1e-5, schedule.valueAt(100, 2), 1e-15);
        assertEquals(1e-5, schedule.valueAt(5_000, 9), 1e-15);
    }

    @Test
    void risesThenFallsMonotonically() {
        for (int i = 1; i <= 20; i++) {
            assertTrue(schedule.valueAt(i, 0) > schedule.valueAt(i - 1, 0), "warm-up at " + i);
        }
        for (int i = 21; i <= 100; i++) {
            assertTrue(schedule.valueAt(i, 0) < schedule.valueAt(i - 1, 0), "anneal at " + i);
        }
    }

    @Test
    void countsFromThePhaseStart() {
        OneCycleSchedule later = new OneCycleSchedule(1e-2, 500, 100, 0.2, 10, 100);
        assertEquals(1e-3, later.valueAt(400, 0), 1e-15);
        assertEquals(5.5e-3, later.valueAt(510, 0), 1e-15);
        assertEquals(schedule.valueAt(73, 0), later.valueAt(573, 0), 1e-15);
    }

    @Test
    void survivesTheNetworkJsonThatWorkersAndCheckpointsUse() {
        ComputationGraphConfiguration conf = ResNets.configuration(ModelSpec.of("tiny", 3, 32, Head.ANY), 1);
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BaseLayer base) {
                base.setIUpdater(new Adam(schedule));
            }
        }
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        BaseLayer output = (BaseLayer) ((LayerVertex) back.getVertices().get(ResNets.OUTPUT)).getLayerConf().getLayer();
        assertEquals(schedule, ((Adam) output.getIUpdater()).getLearningRateSchedule());
        assertEquals(schedule, schedule.clone());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new OneCycleSchedule(0, 0, 10, 0.3, 25, 1e4));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleSchedule(1e-3, 0, 0, 0.3, 25, 1e4));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleSchedule(1e-3, 0, 10, 1.0, 25, 1e4));
    }
}
