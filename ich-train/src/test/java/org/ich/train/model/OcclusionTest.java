package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class OcclusionTest {
    private static final int SIZE = 32, CHANNELS = 3;
    /** The region the pure scorer looks at: rows 10-15, columns 18-23. */
    private static final int TOP = 10, LEFT = 18, SIDE = 6;

    /** p = mean intensity of the known square in channel 0: only pixels there can matter. */
    private static final SliceScorer SQUARE_MEAN = inputs -> {
        double[] p = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            double sum = 0;
            for (int r = TOP; r < TOP + SIDE; r++) for (int c = LEFT; c < LEFT + SIDE; c++) sum += inputs[i][r * SIZE + c];
            p[i] = sum / (SIDE * SIDE);
        }
        return p;
    };

    private static byte[] slice(long seed) {
        byte[] tensor = new byte[CHANNELS * SIZE * SIZE];
        Random random = new Random(seed);
        for (int i = 0; i < tensor.length; i++) tensor[i] = (byte) (40 + random.nextInt(160));
        return tensor;
    }

    private static boolean inSquare(int row, int col) {
        return row >= TOP && row < TOP + SIDE && col >= LEFT && col < LEFT + SIDE;
    }

    @Test
    void theMapPeaksInsideTheRegionTheScorerReadsAndIsZeroElsewhere() {
        byte[] tensor = slice(1);
        Heatmap map = new Occlusion(4, 2).map(SQUARE_MEAN, tensor, CHANNELS, SIZE, 0);
        assertEquals(SIZE, map.size());
        assertEquals(SIZE * SIZE, map.values().length);
        assertTrue(inSquare(map.peakRow(), map.peakCol()), "peak at " + map.peakRow() + "," + map.peakCol());
        assertTrue(map.peak() > 0.05, "hiding the bright square lowers p: " + map.peak());
        assertEquals(SQUARE_MEAN.score(new float[][] {toFloats(tensor)})[0], map.baseline(), 1e-12);
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                // A pixel at least a patch away from the square is covered only by patches that miss it.
                boolean far = r <= TOP - 4 || r >= TOP + SIDE + 3 || c <= LEFT - 4 || c >= LEFT + SIDE + 3;
                if (far) assertEquals(0, map.value(r, c), 1e-9, "(" + r + "," + c + ")");
                if (inSquare(r, c)) assertTrue(map.value(r, c) > 0, "(" + r + "," + c + ")");
            }
        }
    }

    @Test
    void theBatchSizeDoesNotChangeTheMap() {
        byte[] tensor = slice(2);
        Heatmap one = new Occlusion(6, 3, 1).map(SQUARE_MEAN, tensor, CHANNELS, SIZE, 0);
        for (int batch : new int[] {7, 32, 1000}) {
            Heatmap other = new Occlusion(6, 3, batch).map(SQUARE_MEAN, tensor, CHANNELS, SIZE, 0);
            assertArrayEquals(one.values(), other.values(), "batch " + batch);
            assertEquals(one.peakRow(), other.peakRow());
            assertEquals(one.peakCol(), other.peakCol());
        }
    }

    @Test
    void patchesOverAirAloneAreNotScoredAndLeaveTheMapUnchanged() {
        byte[] tensor = slice(3);
        // The left half is air (byte 0 in every channel), as the crop's margins around a head are.
        for (int c = 0; c < CHANNELS; c++) {
            for (int r = 0; r < SIZE; r++) Arrays.fill(tensor, c * SIZE * SIZE + r * SIZE, c * SIZE * SIZE + r * SIZE + 16, (byte) 0);
        }
        int[] scored = {0};
        SliceScorer counting = inputs -> {
            scored[0] += inputs.length;
            return SQUARE_MEAN.score(inputs);
        };
        Heatmap skipping = new Occlusion(4, 2).map(counting, tensor, CHANNELS, SIZE, 0);
        // 15 x 15 positions; those whose 4 columns all lie left of column 16 (left edges 0..12: 7 of 15) are air.
        assertEquals(1 + 15 * 15 - 15 * 7, scored[0]);
        assertTrue(inSquare(skipping.peakRow(), skipping.peakCol()));
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < 12; c++) assertEquals(0, skipping.value(r, c), "(" + r + "," + c + ")");
        }
    }

    @Test
    void patchesCoverEveryPixelUpToTheFarEdge() {
        assertEquals(List.of(0, 3, 6, 9, 12, 15, 18, 21, 24, 26), new Occlusion(6, 3).positions(SIZE));
        assertEquals(List.of(0, 8, 16, 24), new Occlusion(8, 8).positions(SIZE));
        assertThrows(IllegalArgumentException.class, () -> new Occlusion(4, 5));
        assertThrows(IllegalArgumentException.class, () -> new Occlusion(40, 4).map(SQUARE_MEAN, slice(3), CHANNELS, SIZE, 0));
    }

    @Test
    void tiesGoToTheFirstPixelInRowMajorOrder() {
        float[] values = new float[16];
        values[6] = 2;
        values[9] = 2;
        Heatmap map = Heatmap.of(4, values, 0.5);
        assertEquals(1, map.peakRow());
        assertEquals(2, map.peakCol());
    }

    @Test
    void aTinyResNetRunsEndToEndChannelsLastAsScoringRunsIt() {
        ModelSpec spec = ModelSpec.of("tiny", CHANNELS, SIZE, Head.SIX);
        ComputationGraph trained = ResNets.build(spec, 11);
        SlicePredictor.Prepared prepared = SlicePredictor.prepare(trained, "tiny", CHANNELS, SIZE, 6);
        assertTrue(prepared.channelsLast());
        SlicePredictor predictor = new SlicePredictor(prepared, SIZE, List.of(Tta.IDENTITY, Tta.HFLIP));
        byte[] tensor = slice(4);

        long start = System.nanoTime();
        Heatmap map = new Occlusion(8, 4, 16).map(SliceScorer.of(predictor, 0), tensor, CHANNELS, SIZE, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(SIZE, map.size());
        for (float v : map.values()) assertTrue(Float.isFinite(v));
        // The baseline is the probability scoring gives the slice.
        double[][] scored = predictor.predict(List.of(new org.ich.train.data.SliceSample("s", tensor, CHANNELS, SIZE, new int[6])));
        assertEquals(scored[0][0], map.baseline(), 1e-6);
        System.out.printf("occlusion: tiny ResNet, %d px, patch 8 stride 4 (49 positions, 2 views): %.2f s%n", SIZE, seconds);

        byte[] png = map.overlayPng(tensor, CHANNELS, SIZE);
        assertNotNull(png);
    }

    @Test
    void theOverlayDecodesAtFourTimesTheSliceSize() throws Exception {
        byte[] tensor = slice(5);
        Heatmap map = new Occlusion(4, 2).map(SQUARE_MEAN, tensor, CHANNELS, SIZE, 0);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(map.overlayPng(tensor, CHANNELS, SIZE)));
        assertNotNull(image);
        assertEquals(SIZE * Heatmap.SCALE, image.getWidth());
        assertEquals(SIZE * Heatmap.SCALE, image.getHeight());
        // Far from the square the slice shows through as grey; the peak carries the cross.
        int grey = tensor[0] & 0xFF;
        assertEquals(grey << 16 | grey << 8 | grey, image.getRGB(0, 0) & 0xFFFFFF);
        int cy = map.peakRow() * Heatmap.SCALE + Heatmap.SCALE / 2, cx = map.peakCol() * Heatmap.SCALE + Heatmap.SCALE / 2;
        assertEquals(0x00FFFF, image.getRGB(cx, cy) & 0xFFFFFF);
        // Next to the cross inside the square the map tints the pixel red-yellow: more red than blue.
        int rgb = image.getRGB(cx + 1, cy + 1);
        assertTrue(((rgb >> 16) & 0xFF) > (rgb & 0xFF), Integer.toHexString(rgb));
        assertThrows(IllegalArgumentException.class, () -> map.overlayPng(tensor, CHANNELS, SIZE / 2));
    }

    private static float[] toFloats(byte[] tensor) {
        float[] x = new float[tensor.length];
        for (int i = 0; i < x.length; i++) x[i] = (tensor[i] & 0xFF) / 255f;
        return x;
    }
}
