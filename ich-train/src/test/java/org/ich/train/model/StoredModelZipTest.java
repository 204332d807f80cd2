package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class StoredModelZipTest {

    @Test
    void modelSerializerRestoresTheSameNetworkAndOptimiserStateFromStoredEntries() throws Exception {
        ComputationGraph graph = ResNets.build(ModelSpec.of("tiny", 3, 32, Head.SIX), 3);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        // One step, so that Adam's moments are not all zero.
        graph.fit(new MultiDataSet(x, Nd4j.createFromArray(new float[][] {{1, 0, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0}})));

        byte[] zip = StoredModelZip.bytes(graph, true);
        try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
            int count = 0;
            for (ZipEntry e; (e = entries.getNextEntry()) != null; count++) {
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
            }
            assertEquals(3, count, "configuration, parameters, optimiser state");
        }
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), true);
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        assertEquals(graph.outputSingle(false, x), restored.outputSingle(false, x));

        ComputationGraph withoutState = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(StoredModelZip.bytes(graph, false)), false);
        assertEquals(graph.params(), withoutState.params());
        assertTrue(StoredModelZip.bytes(graph, false).length < zip.length);
    }
}
