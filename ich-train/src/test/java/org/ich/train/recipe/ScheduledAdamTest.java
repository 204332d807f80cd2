package org.ich.train.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.ich.train.model.Head;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;

class ScheduledAdamTest {

    /** max 1e-2 over 100 steps, 30 warming up: beta1 0.95 at the ends, 0.85 at the peak (PyTorch's OneCycleLR). */
    private final OneCycleSchedule rate = new OneCycleSchedule(1e-2, 0, 100, 0.3, 25, 1e4);
    private final MomentumCycle beta1 = new MomentumCycle(rate, 0.85, 0.95);

    @Test
    void momentumRunsTheRateCycleInverted() {
        assertEquals(0.95, beta1.valueAt(0, 0), 1e-12);
        assertEquals(0.90, beta1.valueAt(15, 0), 1e-12); // half-way up the cosine
        assertEquals(0.85, beta1.valueAt(30, 0), 1e-12); // the rate's peak
        assertEquals(0.95, beta1.valueAt(100, 1), 1e-12);
        assertEquals(0.95, beta1.valueAt(1_000, 9), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new MomentumCycle(rate, 0.95, 0.85));
        assertThrows(IllegalArgumentException.class, () -> new MomentumCycle(rate, 0.9, 1.0));
    }

    @Test
    void eachStepIsDl4jsAdamWithThatStepsRateAndBeta1() {
        ScheduledAdam scheduled = new ScheduledAdam(rate, beta1);
        INDArray scheduledState = Nd4j.zeros(DataType.FLOAT, 1, 2 * 20);
        INDArray plainState = Nd4j.zeros(DataType.FLOAT, 1, 2 * 20);
        GradientUpdater<?> ours = scheduled.instantiate(scheduledState, true);
        for (int step = 0; step < 40; step++) {
            INDArray gradient = Nd4j.rand(DataType.FLOAT, 1, 20).subi(0.5);
            INDArray expected = gradient.dup();
            // DL4J's Adam with this step's values on a copy of the same state.
            Adam plain = new Adam(rate.valueAt(step, 0), beta1.valueAt(step, 0), Adam.DEFAULT_ADAM_BETA2_VAR_DECAY,
                    Adam.DEFAULT_ADAM_EPSILON);
            plainState.assign(scheduledState);
            plain.instantiate(plainState, false).applyUpdater(expected, step, 0);
            ours.applyUpdater(gradient, step, 0);
            assertArrayEquals(expected.toFloatVector(), gradient.toFloatVector(), 0f, "update at step " + step);
            assertArrayEquals(plainState.toFloatVector(), scheduledState.toFloatVector(), 0f, "M and V at " + step);
        }
        // The state is Adam's: M then V, so averaging and checkpoints treat it as Adam's.
        assertEquals(2, ours.getState().size());
    }

    @Test
    void survivesTheNetworkJsonThatWorkersAndCheckpointsUse() {
        ScheduledAdam scheduled = new ScheduledAdam(rate, beta1);
        ComputationGraphConfiguration conf = ResNets.configuration(ModelSpec.of("tiny", 3, 32, Head.ANY), 1);
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BaseLayer base) {
                base.setIUpdater(scheduled);
            }
        }
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        BaseLayer output = (BaseLayer) ((LayerVertex) back.getVertices().get(ResNets.OUTPUT)).getLayerConf().getLayer();
        assertEquals(scheduled, output.getIUpdater());
        assertEquals(scheduled, scheduled.clone());
        ScheduledAdam constant = scheduled.clone();
        constant.setLrAndSchedule(1e-3, null);
        assertNotEquals(scheduled, constant);
        assertEquals(new FixedSchedule(1e-3), constant.rate());
    }
}
