package org.ich.train.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

class SeriesStepsTest {

    private static final float EPS = 1e-6f;

    /** Standardises dimension 0 as (x - 1) / 2 and leaves dimension 1. */
    private static final StepScaling SCALING = new StepScaling(new float[] {1, 0}, new float[] {2, 1});

    @Test
    void threeSlicesByHand() {
        SeriesExample s = new SeriesExample("s", List.of("a", "b", "c"),
                new float[][] {{1, 2}, {3, 5}, {4, 4}},
                new float[][] {{-2}, {0.5f}, {Float.POSITIVE_INFINITY}},
                new double[] {0, 5, 15}, null);
        float[][] f = SeriesSteps.features(s, SCALING);

        assertEquals(3 * 2 + 1 + 2, f.length);
        assertRow(new float[] {0, 1, 1.5f}, f[0]);
        assertRow(new float[] {2, 5, 4}, f[1]);
        // Own minus previous, 0 on the first slice.
        assertRow(new float[] {0, 1, 0.5f}, f[2]);
        assertRow(new float[] {0, 3, -1}, f[3]);
        // Own minus next, 0 on the last slice.
        assertRow(new float[] {-1, -0.5f, 0}, f[4]);
        assertRow(new float[] {-3, 1, 0}, f[5]);
        // Logits as given, a saturated one capped.
        assertRow(new float[] {-2, 0.5f, SeriesSteps.MAX_LOGIT}, f[6]);
        // Gaps 5 and 10 over their median 7.5.
        assertRow(new float[] {0, 5 / 7.5f, 10 / 7.5f}, f[7]);
        assertRow(new float[] {5 / 7.5f, 10 / 7.5f, 0}, f[8]);
    }

    @Test
    void unknownPositionsGiveNoGapAndLongGapsAreCapped() {
        float[][] gaps = gapRows(new double[] {0, Double.NaN, 10, 15});
        // Known gaps: only 10 -> 15, so the median is 5.
        assertRow(new float[] {0, 0, 0, 1}, gaps[0]);
        assertRow(new float[] {0, 0, 1, 0}, gaps[1]);

        gaps = gapRows(new double[] {30, 29, 28, 0});
        assertRow(new float[] {0, 1, 1, SeriesSteps.MAX_GAP_RATIO}, gaps[0]);
        assertRow(new float[] {1, 1, SeriesSteps.MAX_GAP_RATIO, 0}, gaps[1]);

        gaps = gapRows(new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
        assertRow(new float[4], gaps[0]);
        assertRow(new float[4], gaps[1]);
    }

    @Test
    void oneSliceHasNoNeighbours() {
        SeriesExample s = new SeriesExample("one", List.of("a"), new float[][] {{3, -1}}, new float[][] {{0.25f}},
                new double[] {7}, new int[][] {{1}});
        float[][] f = SeriesSteps.features(s, SCALING);
        assertRow(new float[] {1}, f[0]);
        assertRow(new float[] {-1}, f[1]);
        for (int row = 2; row < 6; row++) {
            assertRow(new float[] {0}, f[row]);
        }
        assertRow(new float[] {0.25f}, f[6]);
        assertRow(new float[] {0}, f[7]);
        assertRow(new float[] {0}, f[8]);
        assertEquals(1, s.seriesAny());
    }

    @Test
    void scalingIsThePopulationMeanAndSdOverEverySlice() {
        SeriesExample a = series("a", new float[][] {{1, 10}, {3, 10}});
        SeriesExample b = series("b", new float[][] {{5, 10}});
        StepScaling scaling = StepScaling.fit(List.of(a, b));

        assertArrayEquals(new float[] {3, 10}, scaling.mean(), EPS);
        assertEquals(Math.sqrt(8.0 / 3), scaling.sd()[0], 1e-6);
        // Constant over the train set: floored instead of 0.
        assertEquals(StepScaling.MIN_SD, scaling.sd()[1]);

        StepScaling identity = StepScaling.identity(2);
        assertArrayEquals(new float[] {0, 0}, identity.mean());
        assertArrayEquals(new float[] {1, 1}, identity.sd());
    }

    /** The version folder stores the scaling as JSON: only its two components, and back unchanged. */
    @Test
    void scalingRoundTripsThroughJson() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(SCALING);
        assertEquals("{\"mean\":[1.0,0.0],\"sd\":[2.0,1.0]}", json);
        StepScaling back = mapper.readValue(json, StepScaling.class);
        assertArrayEquals(SCALING.mean(), back.mean());
        assertArrayEquals(SCALING.sd(), back.sd());
    }

    @Test
    void batchPadsTheShorterSeriesWithMaskedZeros() {
        ContextSpec spec = new ContextSpec(ContextSpec.Kind.BILSTM, 2, 6, 4, 6, 2);
        int[][] labelsA = {{1, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0}};
        SeriesExample a = new SeriesExample("a", List.of("a0", "a1"), new float[][] {{1, 2}, {2, 3}},
                logits(2), new double[] {0, 5}, labelsA);
        int[][] labelsB = {{0, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}};
        SeriesExample b = new SeriesExample("b", List.of("b0", "b1", "b2"),
                new float[][] {{0, 1}, {1, 1}, {2, 0}}, logits(3), new double[] {0, 5, 10}, labelsB);
        MultiDataSet batch = SeriesSteps.batch(List.of(a, b), spec, SCALING);

        INDArray features = batch.getFeatures(0);
        assertArrayEquals(new long[] {2, spec.stepFeatures(), 3}, features.shape());
        float[][][] expected = {SeriesSteps.features(a, SCALING), SeriesSteps.features(b, SCALING)};
        for (int i = 0; i < spec.stepFeatures(); i++) {
            for (int t = 0; t < 3; t++) {
                float want = t < expected[0][i].length ? expected[0][i][t] : 0f;
                assertEquals(want, features.getFloat(0, i, t), EPS, "a, feature " + i + ", step " + t);
                assertEquals(expected[1][i][t], features.getFloat(1, i, t), EPS, "b, feature " + i + ", step " + t);
            }
        }
        INDArray mask = batch.getFeaturesMaskArray(0);
        assertArrayEquals(new float[][] {{1, 1, 0}, {1, 1, 1}}, mask.toFloatMatrix());
        assertEquals(2, batch.getLabels().length);
        assertEquals(mask, batch.getLabelsMaskArray(0));
        assertNull(batch.getLabelsMaskArray(1));

        INDArray slices = batch.getLabels(0);
        assertArrayEquals(new long[] {2, 6, 3}, slices.shape());
        for (int j = 0; j < 6; j++) {
            for (int t = 0; t < 3; t++) {
                assertEquals(t < 2 ? labelsA[t][j] : 0, slices.getFloat(0, j, t), "a, label " + j + ", step " + t);
                assertEquals(labelsB[t][j], slices.getFloat(1, j, t), "b, label " + j + ", step " + t);
            }
        }
        assertArrayEquals(new float[][] {{1}, {0}}, batch.getLabels(1).toFloatMatrix());
    }

    @Test
    void unlabelledSeriesGetZeroLabels() {
        ContextSpec spec = new ContextSpec(ContextSpec.Kind.TCN, 2, 1, 4, 1, 2);
        SeriesExample s = series("u", new float[][] {{1, 2}, {2, 3}});
        MultiDataSet batch = SeriesSteps.batch(List.of(s), spec, SCALING);
        assertEquals(0, batch.getLabels(0).sumNumber().doubleValue());
        assertEquals(0, batch.getLabels(1).sumNumber().doubleValue());
        assertThrows(IllegalStateException.class, s::seriesAny);
    }

    @Test
    void mismatchedSeriesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SeriesExample("bad",
                List.of("a", "b"), new float[][] {{1}}, new float[][] {{0}, {0}}, new double[2], null));
        assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("embeddings"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SeriesExample("ragged", List.of("a", "b"),
                new float[][] {{1}, {2}}, new float[][] {{0}, {0}}, new double[2], new int[][] {{1}, {0, 1}}));
        assertTrue(e.getMessage().contains("ragged") && e.getMessage().contains("labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SeriesExample("short-z", List.of("a", "b"),
                new float[][] {{1}, {2}}, new float[][] {{0}, {0}}, new double[1], null));
        assertTrue(e.getMessage().contains("short-z") && e.getMessage().contains("z"), e.getMessage());

        ContextSpec spec = new ContextSpec(ContextSpec.Kind.TCN, 2, 6, 4, 6, 2);
        SeriesExample oneLogit = series("one-logit", new float[][] {{1, 2}});
        e = assertThrows(IllegalArgumentException.class, () -> SeriesSteps.batch(List.of(oneLogit), spec, SCALING));
        assertTrue(e.getMessage().contains("one-logit"), e.getMessage());
    }

    private static float[][] gapRows(double[] z) {
        float[][] embeddings = new float[z.length][2];
        float[][] logits = new float[z.length][1];
        List<String> keys = IntStream.range(0, z.length).mapToObj(i -> "s" + i).toList();
        float[][] f = SeriesSteps.features(new SeriesExample("z", keys, embeddings, logits, z, null), SCALING);
        return new float[][] {f[7], f[8]};
    }

    private static SeriesExample series(String key, float[][] embeddings) {
        List<String> keys = IntStream.range(0, embeddings.length).mapToObj(i -> key + i).toList();
        return new SeriesExample(key, keys, embeddings, new float[embeddings.length][1],
                new double[embeddings.length], null);
    }

    private static float[][] logits(int steps) {
        float[][] logits = new float[steps][6];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < 6; j++) {
                logits[t][j] = t - j;
            }
        }
        return logits;
    }

    private static void assertRow(float[] expected, float[] actual) {
        assertArrayEquals(expected, actual, EPS);
    }
}
