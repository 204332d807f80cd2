package org.ich.score;

import org.ich.train.model.SlicePredictor;
import org.ich.train.model.Tta;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.data.SamplePipeline;
import org.ich.train.data.SliceSample;
import org.ich.train.model.Head;
import org.ich.domain.Labels;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class SlicePredictorTest {
    static final int SIZE = 32;
    static ComputationGraph net;
    static List<SliceSample> batch;

    @BeforeAll
    static void tinyNetAndSlices() {
        net = ResNets.build(ModelSpec.of("tiny", 3, SIZE, Head.SIX), 7);
        Random random = new Random(3);
        batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Stored at 48 px: the predictor resizes to the model's 32 like validation does.
            byte[] tensor = new byte[3 * 48 * 48];
            random.nextBytes(tensor);
            batch.add(new SliceSample("s" + i, tensor, 3, 48, new int[0]));
        }
    }

    /** What the network says about each sample seen through one view, straight from DL4J. */
    private static double[][] direct(Tta view) {
        SamplePipeline pipeline = SamplePipeline.plain(SIZE);
        int plane = 3 * SIZE * SIZE;
        float[] x = new float[batch.size() * plane];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(view.apply(pipeline.features(batch.get(i)), 3, SIZE), 0, x, i * plane, plane);
        }
        return net.outputSingle(false, Nd4j.create(x, new long[] {batch.size(), 3, SIZE, SIZE}, 'c'))
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    @Test
    void identityAloneIsThePlainNetworkOutput() {
        double[][] scored = new SlicePredictor(net, SIZE, List.of(Tta.IDENTITY)).predict(batch);
        double[][] plain = direct(Tta.IDENTITY);
        assertEquals(batch.size(), scored.length);
        for (int i = 0; i < scored.length; i++) {
            assertEquals(Labels.COUNT, scored[i].length);
            assertArrayEquals(plain[i], scored[i], 0.0);
            for (double p : scored[i]) assertTrue(p >= 0 && p <= 1, "probability " + p);
        }
    }

    @Test
    void viewsAreAveragedPerSlice() {
        double[][] both = new SlicePredictor(net, SIZE, List.of(Tta.IDENTITY, Tta.HFLIP)).predict(batch);
        double[][] plain = direct(Tta.IDENTITY), mirrored = direct(Tta.HFLIP);
        boolean flipMatters = false;
        for (int i = 0; i < both.length; i++) {
            for (int j = 0; j < both[i].length; j++) {
                assertEquals((plain[i][j] + mirrored[i][j]) / 2, both[i][j], 1e-6);
                flipMatters |= Math.abs(plain[i][j] - mirrored[i][j]) > 1e-6;
            }
        }
        assertTrue(flipMatters, "random slices look different mirrored, so the test can tell the views apart");
        // The same view twice is that view.
        double[][] twice = new SlicePredictor(net, SIZE, List.of(Tta.IDENTITY, Tta.IDENTITY)).predict(batch);
        for (int i = 0; i < twice.length; i++) assertArrayEquals(plain[i], twice[i], 1e-6);
    }

    @Test
    void theChannelsLastNetworkScoresLikeTheTrainedOne() {
        for (String architecture : List.of("tiny", "resnet18")) {
            ComputationGraph trained = ResNets.build(ModelSpec.of(architecture, 3, SIZE, Head.SIX), 11);
            // A few steps of training, so batch-norm statistics and weights are not their initial values.
            org.nd4j.linalg.dataset.MultiDataSet data = new org.nd4j.linalg.dataset.MultiDataSet(
                    Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3, SIZE, SIZE),
                    Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, Labels.COUNT).gt(0.5)
                            .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
            for (int i = 0; i < 3; i++) trained.fit(data);
            ScoringModel model = new ScoringModel("v", architecture, 3, SIZE, false, Labels.NAMES, new byte[0]);
            SlicePredictor.Prepared prepared = model.prepare(trained);
            assertTrue(prepared.channelsLast(), architecture);
            double[][] nchw = new SlicePredictor(trained, SIZE, List.of(Tta.IDENTITY, Tta.HFLIP)).predict(batch);
            double[][] nhwc = new SlicePredictor(prepared, SIZE, List.of(Tta.IDENTITY, Tta.HFLIP)).predict(batch);
            for (int i = 0; i < nchw.length; i++) assertArrayEquals(nchw[i], nhwc[i], 1e-5, architecture);
        }
        // A network of another shape (or unknown architecture) is scored as it is.
        ScoringModel unknown = new ScoringModel("v", null, 3, SIZE, false, Labels.NAMES, new byte[0]);
        assertTrue(!SlicePredictor.prepare(net, null, 3, SIZE, 6).channelsLast());
        ScoringModel other = new ScoringModel("v", "resnet18", 3, SIZE, false, Labels.NAMES, new byte[0]);
        assertTrue(!SlicePredictor.prepare(net, "resnet18", 3, SIZE, 6).channelsLast(), "a tiny net is not a resnet18");
    }

    @Test
    void refusesNoViewsAndMixedChannels() {
        assertThrows(IllegalArgumentException.class, () -> new SlicePredictor(net, SIZE, List.of()));
        List<SliceSample> mixed = List.of(batch.get(0), new SliceSample("one-channel", new byte[48 * 48], 1, 48, new int[0]));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SlicePredictor(net, SIZE, List.of(Tta.IDENTITY)).predict(mixed));
        assertTrue(e.getMessage().contains("one-channel"), e.getMessage());
    }

    @Test
    void scoringModelOutputsMustBeALabelPrefix() {
        assertEquals(1, new ScoringModel("v", null, 3, SIZE, false, List.of("any"), new byte[0]).outputs());
        assertThrows(IllegalArgumentException.class, () -> new ScoringModel("v", null, 3, SIZE, false, List.of("subdural"), new byte[0]));
    }
}
