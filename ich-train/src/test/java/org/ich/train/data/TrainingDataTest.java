package org.ich.train.data;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.ich.config.Settings;
import org.ich.train.job.TrainConfig;
import org.ich.domain.Labels;
import org.ich.etl.job.SliceTable;
import org.ich.train.testing.TrainingFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** The data path on Spark local[2] over a real slices table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingDataTest {

    TrainingFixture fixture;
    PinnedSlices table;

    @BeforeAll
    void table() throws Exception {
        fixture = TrainingFixture.get();
        table = PinnedSlices.read(fixture.spark(), TrainConfig.from(fixture.settings(fixture.dir())).common());
    }

    private TrainingData data(Path work, String... overrides) {
        Settings settings = fixture.settings(work, overrides);
        return new TrainingData(table.rows(), DataConfig.from(settings), Labels.LABEL_COLUMNS);
    }

    /** The raw stored tensor of every usable slice of a split, by slice key. */
    private Map<String, byte[]> tensors(String split) {
        Map<String, byte[]> out = new HashMap<>();
        for (Row r : table.rows().where(col("split").equalTo(split).and(col("is_empty").equalTo(false))
                .and(col("label_any").isNotNull())).select(SliceTable.KEY, "tensor").collectAsList()) {
            out.put(r.getString(0), (byte[]) r.get(1));
        }
        return out;
    }

    @AfterAll
    void stopSpark() {
        TrainingFixture.stopSession();
    }

    @Test
    void validationRowsReachTheNetworkUntouchedWhateverTheAugmentation(@TempDir Path work) {
        TrainingData data = data(work, "ich.train.augment.flip=1", "ich.train.augment.rotation=30",
                "ich.train.augment.zoom=0.3", "ich.train.augment.shift=0.2", "ich.train.negative-fraction=0.1");
        Map<String, byte[]> stored = tensors(TrainingData.VALID);
        List<MultiDataSet> batches = data.validBatches(TrainingFixture.SIZE).collect();
        // Validation keeps every slice in table order: compare batch rows with the stored bytes / 255.
        List<Row> keys = data.rows(TrainingData.VALID).select(SliceSource.KEY).collectAsList();
        int row = 0;
        for (MultiDataSet batch : batches) {
            float[][] features = batch.getFeatures(0).reshape(batch.getFeatures(0).size(0), -1).toFloatMatrix();
            for (float[] pixels : features) {
                byte[] tensor = stored.get(keys.get(row++).getString(0));
                for (int p = 0; p < tensor.length; p++) {
                    assertEquals((tensor[p] & 0xFF) / 255f, pixels[p], 0f, "valid pixel changed");
                }
            }
        }
        assertEquals(stored.size(), row, "every valid slice, negatives included");

        // The same settings do change training slices.
        MultiDataSet train = firstBatch(data, data.trainEpoch(0, TrainingFixture.SIZE));
        assertFalse(java.util.Arrays.equals(train.getFeatures(0).reshape(train.getFeatures(0).size(0), -1)
                .toFloatMatrix()[0], plain(tensors(TrainingData.TRAIN), train)), "training is augmented");
    }

    private static MultiDataSet firstBatch(TrainingData data, TrainingData.Epoch epoch) {
        return batches(data, epoch, 1).get(0);
    }

    /** Every minibatch of the epoch as {@code workers} averaging workers would fit them, round after round. */
    private static List<MultiDataSet> batches(TrainingData data, TrainingData.Epoch epoch, int workers) {
        EpochLayout layout = EpochLayout.of(epoch.slices(), 8, workers, 2);
        assertEquals(workers == 1 ? epoch.slices() : layout.rounds() * 2L * workers * 8, layout.positions());
        List<MultiDataSet> all = new java.util.ArrayList<>();
        try (TrainingData.Rounds rounds = data.rounds(epoch, layout)) {
            for (int round = 0; round < layout.rounds(); round++) {
                all.addAll(rounds.round(round).collect());
            }
        }
        return all;
    }

    /** The first training row, unaugmented, if it were any stored tensor (it is one of them). */
    private static float[] plain(Map<String, byte[]> stored, MultiDataSet batch) {
        float[] first = batch.getFeatures(0).reshape(batch.getFeatures(0).size(0), -1).toFloatMatrix()[0];
        for (byte[] tensor : stored.values()) {
            float[] candidate = new float[tensor.length];
            for (int p = 0; p < tensor.length; p++) {
                candidate[p] = (tensor[p] & 0xFF) / 255f;
            }
            if (java.util.Arrays.equals(candidate, first)) {
                return candidate;
            }
        }
        return new float[0];
    }

    @Test
    void anEpochFitsEveryTrainSliceInFullMinibatches(@TempDir Path work) {
        TrainingData data = data(work, "ich.train.augment.enabled=false");
        Map<String, byte[]> stored = tensors(TrainingData.TRAIN);
        TrainingData.Epoch epoch = data.trainEpoch(0, TrainingFixture.SIZE);
        assertEquals(stored.size(), epoch.slices());
        for (int workers : new int[] {1, 2}) {
            Map<String, Integer> fitted = new java.util.HashMap<>();
            Map<String, String> keyOf = new java.util.HashMap<>();
            stored.forEach((key, tensor) -> keyOf.put(java.util.Arrays.toString(tensor), key));
            List<MultiDataSet> batches = batches(data, epoch, workers);
            for (int b = 0; b < batches.size(); b++) {
                float[][] rows = batches.get(b).getFeatures(0).reshape(batches.get(b).getFeatures(0).size(0), -1)
                        .toFloatMatrix();
                if (workers > 1 || b < batches.size() - 1) {
                    assertEquals(8, rows.length, "a full minibatch (" + workers + " workers, batch " + b + ")");
                }
                for (float[] row : rows) {
                    byte[] tensor = new byte[row.length];
                    for (int p = 0; p < row.length; p++) {
                        tensor[p] = (byte) Math.round(row[p] * 255);
                    }
                    fitted.merge(keyOf.get(java.util.Arrays.toString(tensor)), 1, Integer::sum);
                }
            }
            assertEquals(stored.keySet(), fitted.keySet(), "every train slice fitted (" + workers + " workers)");
            if (workers == 1) {
                assertTrue(fitted.values().stream().allMatch(n -> n == 1), "each exactly once with one worker");
            }
        }
    }

    @Test
    void negativeSamplingKeepsEveryPositiveAndDropsNegatives(@TempDir Path work) {
        long positives = table.rows().where(col("split").equalTo("train").and(col("is_empty").equalTo(false))
                .and(col("label_any").equalTo(1))).count();
        long all = data(work).trainEpoch(0, 32).slices();
        TrainingData sampled = data(work, "ich.train.negative-fraction=0.2");
        TrainingData.Epoch epoch = sampled.trainEpoch(0, 32);
        long keptPositives = 0;
        long kept = 0;
        for (MultiDataSet batch : batches(sampled, epoch, 1)) {
            for (int[] labels : batch.getLabels(0).toIntMatrix()) {
                keptPositives += labels[0];
                kept++;
            }
        }
        assertTrue(positives > 0 && positives < all, "the fixture has both classes");
        assertEquals(positives, keptPositives, "all positives kept");
        assertEquals(epoch.slices(), kept);
        assertTrue(kept < all, "negatives dropped: " + kept + " of " + all);
        assertEquals(kept, sampled.trainEpoch(0, 32).slices(), "seeded: same epoch, same sample");
    }

    @Test
    void neighboursBecomeChannelsAboveAndBelow(@TempDir Path work) {
        TrainingData data = data(work, "ich.train.neighbours=true");
        // A slice in the middle of its series, so both neighbours exist.
        Row middle = table.rows().where(col("split").equalTo("valid").and(col("is_empty").equalTo(false))
                .and(col("slice_index").equalTo(4))).select(SliceTable.KEY, "series_key", "tensor").first();
        Row stackedRow = data.rows(TrainingData.VALID).where(col(SliceSource.KEY).equalTo(middle.getString(0))).first();
        assertEquals(9, stackedRow.getInt(3), "three windows x three slices");
        byte[] stacked = (byte[]) stackedRow.get(2);
        int third = stacked.length / 3;
        assertArrayEquals(neighbour(middle.getString(1), 3), java.util.Arrays.copyOfRange(stacked, 0, third), "above");
        assertArrayEquals((byte[]) middle.get(2), java.util.Arrays.copyOfRange(stacked, third, 2 * third), "centre");
        assertArrayEquals(neighbour(middle.getString(1), 5), java.util.Arrays.copyOfRange(stacked, 2 * third,
                stacked.length), "below");
        MultiDataSet batch = data.validBatches(32).first();
        assertArrayEquals(new long[] {9, 32, 32}, java.util.Arrays.copyOfRange(batch.getFeatures(0).shape(), 1, 4));
    }

    private byte[] neighbour(String series, int index) {
        return (byte[]) table.rows().where(col("series_key").equalTo(series).and(col("slice_index").equalTo(index)))
                .select("tensor").first().get(0);
    }
}
