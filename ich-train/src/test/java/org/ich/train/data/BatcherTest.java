package org.ich.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.MultiDataSet;

class BatcherTest {

    private static SliceSample sample(int i) {
        byte[] tensor = new byte[2 * 4 * 4];
        for (int p = 0; p < tensor.length; p++) {
            tensor[p] = (byte) (i * 10 + p);
        }
        return new SliceSample("s" + i, tensor, 2, 4, new int[] {i % 2, 0, 1, 0, 0, i % 3 == 0 ? 1 : 0});
    }

    @Test
    void streamsFullBatchesThenTheRest() {
        List<SliceSample> samples = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            samples.add(sample(i));
        }
        Batcher batcher = new Batcher(samples.iterator(), 3, SamplePipeline.plain(4));
        List<MultiDataSet> batches = new ArrayList<>();
        batcher.forEachRemaining(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {3, 2, 4, 4}, batches.get(0).getFeatures(0).shape());
        assertArrayEquals(new long[] {1, 6}, batches.get(2).getLabels(0).shape());
        // Sample 4 is the second of the second batch: its pixel p is (40 + p) / 255, its labels as given.
        float[] row = batches.get(1).getFeatures(0).get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).dup()
                .data().asFloat();
        for (int p = 0; p < row.length; p++) {
            assertEquals((40 + p) / 255f, row[p], 1e-7);
        }
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 0}, batches.get(1).getLabels(0).toIntMatrix()[1]);
        assertFalse(batcher.hasNext());
    }

    @Test
    void resizesToThePipelineSize() {
        MultiDataSet batch = new Batcher(List.of(sample(1), sample(2)).iterator(), 8, SamplePipeline.plain(2)).next();
        assertArrayEquals(new long[] {2, 2, 2, 2}, batch.getFeatures(0).shape());
    }
}
