package org.ich.train.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.testing.TestSettings;
import org.ich.train.model.Head;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Freeze, train the head, thaw: on a tiny ResNet, which parameters one step moves in each phase. */
class RecipeTest {

    private static final String BACKBONE_CONV = "stem_conv";

    @Test
    void headPhaseMovesOnlyTheHeadAndTheFullPhaseMovesEverything(@TempDir Path dir) {
        Recipe recipe = new Recipe(RecipeConfig.from(TestSettings.under(dir, "ich.train.epochs=3",
                "ich.train.head-epochs=1", "ich.train.max-lr=0.01", "ich.train.unfreeze-lr-factor=0.1")));
        ComputationGraph graph = ResNets.build(ModelSpec.of("tiny", 3, 32, Head.SIX), 5);
        MultiDataSet batch = batch();

        ComputationGraph head = recipe.prepare(graph, Phase.HEAD, 1, 10);
        assertTrue(Freezing.isFrozen(head));
        INDArray stem = head.getLayer(BACKBONE_CONV).params().dup();
        INDArray output = head.getLayer(ResNets.OUTPUT).params().dup();
        head.fit(batch);
        assertEquals(stem, head.getLayer(BACKBONE_CONV).params(), "frozen backbone moved");
        assertNotEquals(output, head.getLayer(ResNets.OUTPUT).params(), "head did not train");
        int iterations = head.getConfiguration().getIterationCount();
        assertEquals(1, iterations);

        ComputationGraph all = recipe.prepare(head, Phase.ALL, 2, 10);
        assertFalse(Freezing.isFrozen(all));
        assertEquals(head.getLayer(ResNets.OUTPUT).params(), all.getLayer(ResNets.OUTPUT).params(), "thaw kept weights");
        assertEquals(iterations, all.getConfiguration().getIterationCount(), "schedule clock kept");
        // The full phase's cycle starts at the thaw with a tenth of the peak rate, from peak/div-factor.
        assertEquals(0.01 * 0.1 / 25, all.getLearningRate(BACKBONE_CONV), 1e-12);
        all.fit(batch);
        assertNotEquals(stem, all.getLayer(BACKBONE_CONV).params(), "thawed backbone did not train");
    }

    @Test
    void theHeadPhaseUsesTheFullPeakRate(@TempDir Path dir) {
        Recipe recipe = new Recipe(RecipeConfig.from(TestSettings.under(dir, "ich.train.max-lr=0.02")));
        ComputationGraph graph = recipe.prepare(ResNets.build(ModelSpec.of("tiny", 3, 32, Head.ANY), 5), Phase.HEAD, 1, 4);
        assertEquals(0.02 / 25, graph.getLearningRate(ResNets.OUTPUT), 1e-12);
    }

    private static MultiDataSet batch() {
        Nd4j.getRandom().setSeed(3);
        return new MultiDataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32),
                Nd4j.createFromArray(new float[][] {{1, 0, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 0},
                        {0, 0, 0, 0, 0, 0}}));
    }
}
