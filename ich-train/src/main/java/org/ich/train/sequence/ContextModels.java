package org.ich.train.sequence;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.ich.train.model.WeightedBce;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * The second stage: a graph over a series' slices, in order, that rescores each slice from its neighbours and scores
 * the series as a whole.
 *
 * <p>A bleed seen on one slice usually shows on the next ones too, and a slice that looks unlike both neighbours is
 * more likely an artefact, neither of which the slice CNN can see. The context features (a bidirectional LSTM or two
 * convolutions) give a per-slice correction that is added to the slice stage's own logit before the sigmoid. The correction starts at zero (zero-initialised weights), so an untrained context stage
 * outputs exactly the slice stage's probabilities and training can only move it from there: on a small cohort a few
 * epochs do not leave it worse than the stage it reads (a randomly initialised head did, measured on the 8-series
 * test cohort: valid loss 0.74 after 3 epochs against the slice stage's 0.52).
 *
 * <p>Series are padded at the end and masked, and the graph is laid out so that padding reaches neither a real
 * slice's output nor the loss nor the gradient ({@code ContextModelsTest}). In a DL4J M2.1 ComputationGraph only
 * layers that keep the mask handed down the graph apply it: output, pooling and {@link MaskLayer} do; LSTM,
 * {@code Bidirectional} and {@code Convolution1DLayer} never see it. Hence no {@code Bidirectional} (its backward
 * LSTM would start on the padding) and a {@link MaskLayer} after each convolution (which zeroes padded steps forwards
 * and their gradients backwards, where the next convolution would read the padding's ReLU(bias)).
 */
public final class ContextModels {

    /** The one input: {@code [minibatch, stepFeatures, steps]}, with a {@code [minibatch, steps]} mask. */
    public static final String STEPS = "steps";
    /** Per-slice probabilities {@code [minibatch, outputs, steps]}; its loss is {@link ContextSpec#lossWeights()}. */
    public static final String SLICE_OUTPUT = "slices";
    /** Per-series probability of "any" {@code [minibatch, 1]}, from the context features' masked maximum. */
    public static final String SERIES_OUTPUT = "series";

    /** The vertex whose activations are the context features, in both kinds. */
    static final String CONTEXT = "context";

    /** Overwritten by the trainer; set so that a bare graph can be fit in tests. */
    static final double PLACEHOLDER_LEARNING_RATE = 1e-3;

    /**
     * Undilated: the second convolution would be kernel 3 at dilation 2, but ND4J M2.1's oneDNN conv1d rejects every
     * dilated convolution ("could not create a descriptor for a dilated convolution forward propagation primitive",
     * Same or explicit padding alike; only Causal runs). Kernel 5 sees the same slices plus two.
     */
    static final int[] TCN_KERNELS = {3, 5};

    private ContextModels() {
    }

    /** An initialised graph for a spec. */
    public static ComputationGraph build(ContextSpec spec, long seed) {
        ComputationGraph graph = new ComputationGraph(configuration(spec, seed));
        graph.init();
        return graph;
    }

    public static ComputationGraphConfiguration configuration(ContextSpec spec, long seed) {
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(PLACEHOLDER_LEARNING_RATE))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs(STEPS)
                .setInputTypes(InputType.recurrent(spec.stepFeatures()));
        switch (spec.kind()) {
            case BILSTM -> bidirectionalLstm(graph, spec);
            case TCN -> temporalConvolutions(graph, spec);
            default -> throw new IllegalArgumentException("Unknown kind " + spec.kind());
        }
        int logits = 3 * spec.embedding();
        // A per-slice dense layer (kernel 1) on the context alone, zero at the start: the correction the context makes.
        // Not on the raw steps as well: a dense layer straight on a slice's 512 embedding features is a per-slice
        // classifier of its own, which fitted the train slices and raised the valid loss (ich bench quality, README).
        graph.addLayer("correction", new Convolution1DLayer.Builder(1)
                        // Same, as the TCN's: the mask's reduction for the default mode fails at kernel 1 (M2.1).
                        .convolutionMode(ConvolutionMode.Same)
                        .nOut(spec.outputs())
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.ZERO)
                        .build(), CONTEXT)
                .addVertex("slice_logits", new SubsetVertex(logits, logits + spec.logits() - 1), STEPS)
                .addVertex("context_logits", new ElementWiseVertex(ElementWiseVertex.Op.Add), "correction", "slice_logits")
                .addLayer(SLICE_OUTPUT, new RnnLossLayer.Builder(WeightedBce.of(spec.lossWeights()))
                        .activation(Activation.SIGMOID)
                        .build(), "context_logits")
                .addLayer("series_pool", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), CONTEXT)
                .addLayer(SERIES_OUTPUT, new OutputLayer.Builder(new LossBinaryXENT())
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build(), "series_pool")
                .setOutputs(SLICE_OUTPUT, SERIES_OUTPUT);
        return graph.build();
    }

    /**
     * An LSTM over the slices in order and one over them in reverse, concatenated per slice. The reversal is
     * {@link ReverseTimeSeriesVertex}'s, which reverses each series within its own length (read from the
     * {@link #STEPS} mask), so the backward LSTM starts on the series' last slice rather than on its padding. It
     * copies step by step: at 32 series of 40 slices and 1544 step features one fit took about a third longer than
     * with the padding-blind {@code Bidirectional} (a single measurement on 2 shared cores).
     */
    private static void bidirectionalLstm(GraphBuilder graph, ContextSpec spec) {
        graph.addLayer("lstm_forward", lstm(spec), STEPS)
                .addVertex("steps_reversed", new ReverseTimeSeriesVertex(STEPS), STEPS)
                .addLayer("lstm_backward", lstm(spec), "steps_reversed")
                .addVertex("lstm_backward_in_order", new ReverseTimeSeriesVertex(STEPS), "lstm_backward")
                .addVertex(CONTEXT, new MergeVertex(), "lstm_forward", "lstm_backward_in_order");
    }

    private static LSTM lstm(ContextSpec spec) {
        return new LSTM.Builder()
                .nIn(spec.stepFeatures())
                .nOut(spec.hidden())
                .activation(Activation.TANH)
                .build();
    }

    /** Kernels 3 then 5, padded at the series' ends ("Same"): three slices either side. */
    private static void temporalConvolutions(GraphBuilder graph, ContextSpec spec) {
        String previous = STEPS;
        for (int i = 0; i < TCN_KERNELS.length; i++) {
            String conv = "tcn" + (i + 1);
            String masked = i == TCN_KERNELS.length - 1 ? CONTEXT : conv + "_masked";
            graph.addLayer(conv, new Convolution1DLayer.Builder(TCN_KERNELS[i])
                            .convolutionMode(ConvolutionMode.Same)
                            .nOut(spec.hidden())
                            .activation(Activation.RELU)
                            .build(), previous)
                    .addLayer(masked, new MaskLayer(), conv);
            previous = masked;
        }
    }
}
