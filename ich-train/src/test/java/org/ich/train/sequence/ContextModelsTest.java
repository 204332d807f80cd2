package org.ich.train.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.domain.Labels;
import org.ich.train.metrics.RankAuc;
import org.ich.train.sequence.ContextSpec.Kind;
import org.ich.train.sequence.SeriesSteps.Scores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

class ContextModelsTest {

    private static final int EMBEDDING = 3;

    /** Full-batch Adam steps at rate 1e-2 on the neighbour task; both kinds pass AUC 0.95 by 40. */
    private static final int ITERATIONS = 60;

    @Test
    void specDerivesItsWidthsAndWeights() {
        ContextSpec six = new ContextSpec(Kind.BILSTM, 8, 6, 16, 6, Labels.RSNA_ANY_WEIGHT);
        assertEquals(3 * 8 + 6 + 2, six.stepFeatures());
        assertArrayEquals(new double[] {2, 1, 1, 1, 1, 1}, six.lossWeights());
        assertArrayEquals(new double[] {1}, new ContextSpec(Kind.TCN, 8, 1, 16, 1, 2).lossWeights());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ContextSpec(Kind.TCN, 8, 1, 16, 6, 2));
        assertTrue(e.getMessage().startsWith("logits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ContextSpec(Kind.TCN, 0, 1, 16, 1, 2));
        assertTrue(e.getMessage().startsWith("embedding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ContextSpec(Kind.TCN, 8, 3, 16, 3, 2));
        assertTrue(e.getMessage().startsWith("outputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ContextSpec(Kind.TCN, 8, 1, 0, 1, 2));
        assertTrue(e.getMessage().startsWith("hidden"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ContextSpec(null, 8, 1, 4, 1, 2));
        assertTrue(e.getMessage().startsWith("kind"), e.getMessage());
    }

    /** The version folder stores the spec as JSON: only its components, and back equal. */
    @Test
    void specRoundTripsThroughJson() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ContextSpec spec = new ContextSpec(Kind.TCN, 512, 6, 64, 6, 2);
        String json = mapper.writeValueAsString(spec);
        assertEquals("{\"kind\":\"TCN\",\"embedding\":512,\"logits\":6,\"hidden\":64,\"outputs\":6,"
                + "\"anyWeight\":2.0}", json);
        assertEquals(spec, mapper.readValue(json, ContextSpec.class));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void graphHasOneStepsInputAndSliceAndSeriesOutputs(Kind kind) {
        ContextSpec spec = new ContextSpec(kind, EMBEDDING, 6, 5, 6, 2);
        ComputationGraph net = ContextModels.build(spec, 1);
        assertEquals(List.of(ContextModels.STEPS), net.getConfiguration().getNetworkInputs());
        assertEquals(List.of(ContextModels.SLICE_OUTPUT, ContextModels.SERIES_OUTPUT),
                net.getConfiguration().getNetworkOutputs());

        MultiDataSet batch = SeriesSteps.batch(List.of(series("a", 4, 6, 1), series("b", 7, 6, 2)), spec,
                StepScaling.identity(EMBEDDING));
        INDArray[] out = net.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays());
        assertArrayEquals(new long[] {2, 6, 7}, out[0].shape());
        assertArrayEquals(new long[] {2, 1}, out[1].shape());
    }

    /**
     * Padding is invisible: a series scores the same alone as padded beside longer ones, the padded batch's loss is
     * the mean of its series' losses, and its gradient the sum of theirs. DL4J's score of a batch is, per output
     * layer, the loss summed over every unmasked (series, slice) and divided by the number of series, so a series'
     * slice loss is the sum over its slices, not their mean. Its raw gradient is that sum undivided: the updater
     * divides by the number of series before Adam sees it. The parameters are random so that biases and recurrent
     * weights are far from 0.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void paddedStepsChangeNeitherOutputsNorLossNorGradient(Kind kind) {
        ContextSpec spec = new ContextSpec(kind, EMBEDDING, 6, 5, 6, 2);
        ComputationGraph net = ContextModels.build(spec, 11);
        Nd4j.getRandom().setSeed(5);
        net.setParams(Nd4j.rand(DataType.FLOAT, 1, net.numParams()).subi(0.5));
        StepScaling scaling = StepScaling.identity(EMBEDDING);
        List<SeriesExample> series = List.of(series("short", 4, 6, 3), series("long", 9, 6, 4),
                series("single", 1, 6, 5));

        List<Scores> together = SeriesSteps.predict(net, series, spec, scaling, series.size());
        double meanScore = 0;
        INDArray summedGradient = Nd4j.zeros(DataType.FLOAT, 1, net.numParams());
        for (int i = 0; i < series.size(); i++) {
            SeriesExample s = series.get(i);
            Scores alone = SeriesSteps.predict(net, List.of(s), spec, scaling, 1).get(0);
            assertEquals(s.seriesKey(), together.get(i).seriesKey());
            assertEquals(s.sliceKeys(), together.get(i).sliceKeys());
            for (int t = 0; t < s.steps(); t++) {
                assertArrayEquals(alone.slices()[t], together.get(i).slices()[t], 1e-5, s.seriesKey() + " step " + t);
            }
            assertEquals(alone.seriesAny(), together.get(i).seriesAny(), 1e-5, s.seriesKey());

            MultiDataSet single = SeriesSteps.batch(List.of(s), spec, scaling);
            double score = net.score(single);
            assertEquals(handLoss(s, alone, spec), score, 1e-4, s.seriesKey());
            meanScore += score / series.size();
            summedGradient.addi(gradient(net, single));
        }
        MultiDataSet batch = SeriesSteps.batch(series, spec, scaling);
        assertEquals(meanScore, net.score(batch), 1e-4);
        INDArray batchGradient = gradient(net, batch);
        double scale = summedGradient.amaxNumber().doubleValue();
        assertTrue(scale > 0);
        assertEquals(0, batchGradient.sub(summedGradient).amaxNumber().doubleValue() / scale, 1e-4);
    }

    /** Before training the correction is zero: the context stage starts as the slice stage it reads. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void anUntrainedContextStageGivesTheSliceStagesProbabilities(Kind kind) {
        ContextSpec spec = new ContextSpec(kind, EMBEDDING, 6, 5, 6, 2);
        ComputationGraph net = ContextModels.build(spec, 11);
        SeriesExample s = series("s", 7, 6, 9);
        Scores scores = SeriesSteps.predict(net, List.of(s), spec, StepScaling.identity(EMBEDDING), 1).get(0);
        for (int t = 0; t < s.steps(); t++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(1 / (1 + Math.exp(-s.logits()[t][j])), scores.slices()[t][j], 1e-5, "step " + t + " output " + j);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void predictionsSurviveModelSerializer(Kind kind) throws IOException {
        ContextSpec spec = new ContextSpec(kind, EMBEDDING, 1, 4, 1, 2);
        ComputationGraph net = ContextModels.build(spec, 3);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip.toByteArray()),
                true);
        List<SeriesExample> series = List.of(series("a", 5, 1, 1), series("b", 2, 1, 2));
        StepScaling scaling = StepScaling.identity(EMBEDDING);
        List<Scores> before = SeriesSteps.predict(net, series, spec, scaling, 2);
        List<Scores> after = SeriesSteps.predict(restored, series, spec, scaling, 2);
        for (int i = 0; i < series.size(); i++) {
            assertEquals(before.get(i).seriesAny(), after.get(i).seriesAny(), 0);
            for (int t = 0; t < series.get(i).steps(); t++) {
                assertArrayEquals(before.get(i).slices()[t], after.get(i).slices()[t], 0);
            }
        }
    }

    /**
     * A slice's label is whether the previous slice's embedding dimension 0 exceeds 0.7; its own embedding is noise.
     * The context graph learns it; a dense network on each slice's own embedding cannot.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void contextLearnsWhatTheSliceAloneCannotSee(Kind kind) {
        Random random = new Random(17);
        int embedding = 4;
        List<SeriesExample> train = neighbourSeries(random, 40, embedding);
        List<SeriesExample> test = neighbourSeries(random, 20, embedding);
        ContextSpec spec = new ContextSpec(kind, embedding, 1, 12, 1, 2);
        StepScaling scaling = StepScaling.fit(train);

        ComputationGraph context = ContextModels.build(spec, 21);
        context.setLearningRate(1e-2);
        MultiDataSet batch = SeriesSteps.batch(train, spec, scaling);
        for (int i = 0; i < ITERATIONS; i++) {
            context.fit(batch);
        }
        List<Scores> scores = SeriesSteps.predict(context, test, spec, scaling, 8);
        double contextAuc = RankAuc.of(scores.stream().flatMapToDouble(s -> Arrays.stream(s.slices())
                .mapToDouble(p -> p[0])).toArray(), sliceTruth(test));

        double sliceAuc = sliceOnlyAuc(train, test, embedding, scaling);
        assertTrue(contextAuc > 0.9, "context AUC " + contextAuc);
        assertTrue(sliceAuc < 0.65, "slice-only AUC " + sliceAuc);
    }

    /** A two-layer network per slice on its own standardised embedding, as much training as the context graph. */
    private static double sliceOnlyAuc(List<SeriesExample> train, List<SeriesExample> test, int embedding,
                                       StepScaling scaling) {
        MultiLayerNetwork slice = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(21)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(embedding).nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(new LossBinaryXENT()).nIn(12).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build());
        slice.init();
        INDArray trainX = ownEmbeddings(train, scaling);
        int[] truth = sliceTruth(train);
        float[] y = new float[truth.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = truth[i];
        }
        INDArray trainY = Nd4j.create(y).reshape(-1, 1);
        for (int i = 0; i < ITERATIONS; i++) {
            slice.fit(trainX, trainY);
        }
        INDArray p = slice.output(ownEmbeddings(test, scaling));
        return RankAuc.of(p.toDoubleVector(), sliceTruth(test));
    }

    private static INDArray ownEmbeddings(List<SeriesExample> series, StepScaling scaling) {
        List<float[]> rows = new ArrayList<>();
        for (SeriesExample s : series) {
            float[][] f = SeriesSteps.features(s, scaling);
            for (int t = 0; t < s.steps(); t++) {
                float[] row = new float[scaling.embedding()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = f[i][t];
                }
                rows.add(row);
            }
        }
        return Nd4j.create(rows.toArray(new float[0][]));
    }

    private static int[] sliceTruth(List<SeriesExample> series) {
        return series.stream().flatMapToInt(s -> Arrays.stream(s.labels()).mapToInt(l -> l[0])).toArray();
    }

    private static List<SeriesExample> neighbourSeries(Random random, int count, int embedding) {
        List<SeriesExample> series = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            int steps = 10 + random.nextInt(11);
            float[][] embeddings = new float[steps][embedding];
            int[][] labels = new int[steps][1];
            double[] z = new double[steps];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < embedding; i++) {
                    embeddings[t][i] = random.nextFloat();
                }
                labels[t][0] = t > 0 && embeddings[t - 1][0] > 0.7f ? 1 : 0;
                z[t] = 5.0 * t;
            }
            String key = "toy" + series.size() + "-" + n;
            series.add(new SeriesExample(key, keys(key, steps), embeddings, new float[steps][1], z, labels));
        }
        return series;
    }

    /** The context graph's loss for one series, from its probabilities, as {@code WeightedBce} defines it. */
    private static double handLoss(SeriesExample s, Scores scores, ContextSpec spec) {
        double[] w = spec.lossWeights();
        double total = Arrays.stream(w).sum();
        double loss = 0;
        for (int t = 0; t < s.steps(); t++) {
            for (int j = 0; j < w.length; j++) {
                loss += w[j] / total * logLoss(scores.slices()[t][j], s.labels()[t][j]);
            }
        }
        return loss + logLoss(scores.seriesAny(), s.seriesAny());
    }

    /** With DL4J's clipping of probabilities to [1e-5, 1 - 1e-5]. */
    private static double logLoss(double p, int label) {
        double clipped = Math.max(1e-5, Math.min(1 - 1e-5, p));
        return -Math.log(label == 1 ? clipped : 1 - clipped);
    }

    private static INDArray gradient(ComputationGraph net, MultiDataSet batch) {
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        net.computeGradientAndScore();
        INDArray gradient = net.gradient().gradient().dup();
        net.clearLayerMaskArrays();
        return gradient;
    }

    /** Random embeddings, logits and labels; slice 2's position is unknown. */
    private static SeriesExample series(String key, int steps, int outputs, long seed) {
        Random random = new Random(seed);
        float[][] embeddings = new float[steps][EMBEDDING];
        float[][] logits = new float[steps][outputs];
        int[][] labels = new int[steps][outputs];
        double[] z = new double[steps];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < EMBEDDING; i++) {
                embeddings[t][i] = (float) random.nextGaussian();
            }
            for (int j = 0; j < outputs; j++) {
                logits[t][j] = (float) random.nextGaussian();
                labels[t][j] = random.nextInt(3) == 0 ? 1 : 0;
            }
            z[t] = t == 2 ? Double.NaN : 2.5 * t;
        }
        return new SeriesExample(key, keys(key, steps), embeddings, logits, z, labels);
    }

    private static List<String> keys(String series, int steps) {
        return IntStream.range(0, steps).mapToObj(t -> series + "/" + t).toList();
    }
}
