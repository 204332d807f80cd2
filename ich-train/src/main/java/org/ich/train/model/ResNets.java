package org.ich.train.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * ResNet graphs (He et al. 2015) for ich's slice classifier.
 *
 * <p>Layout follows torchvision's ResNet v1.5 so parameter counts can be checked against the
 * published figures: bias-free convolutions each followed by batch norm, projection shortcuts
 * (1x1 conv + BN) only where shape changes, and in bottleneck blocks the stride on the 3x3 conv.
 * Data are NCHW; padding is {@link ConvolutionMode#Same}, which for the even sizes ich uses gives
 * the same output sizes as torchvision's explicit padding. How DL4J executes the graph (layout, forward
 * cache, workspaces) is {@link Tuning#DEFAULT}.
 */
public final class ResNets {

    public static final String INPUT = "input";
    public static final String FEATURES = "avgpool";
    public static final String OUTPUT = "output";

    /** Overwritten by the training recipe; set so that a bare graph can be fit in tests. */
    static final double PLACEHOLDER_LEARNING_RATE = 1e-3;

    private ResNets() {
    }

    /** An initialised graph for a model spec. */
    public static ComputationGraph build(ModelSpec spec, long seed) {
        ComputationGraph graph = new ComputationGraph(configuration(spec, seed));
        graph.init();
        return graph;
    }

    public static ComputationGraphConfiguration configuration(ModelSpec spec, long seed) {
        return configuration(spec.resolvedArchitecture(), spec.channels(), spec.size(),
                spec.head().outputs(), WeightedBce.forSpec(spec), seed);
    }

    /**
     * The general form, also used to compare against ImageNet-shaped reference networks.
     *
     * @param outputs sigmoid outputs of the dense head
     */
    public static ComputationGraphConfiguration configuration(Architecture architecture, int channels, int size,
                                                              int outputs, ILossFunction loss, long seed) {
        return configuration(architecture, channels, size, outputs, loss, seed, Tuning.DEFAULT);
    }

    /**
     * How DL4J executes the graph: speed and memory only; the parameters and their count never change.
     *
     * @param format          layout of the input and of every convolution, pooling and batch-norm layer
     * @param cacheMode       {@link CacheMode#NONE} makes every convolution redo its forward pass during backprop
     *                        (DL4J M2.1 ConvolutionLayer with the oneDNN helper); {@link CacheMode#DEVICE} keeps
     *                        the forward output in the activations workspace instead (needs training workspaces)
     * @param trainWorkspaces workspace mode for fitting
     * @param inferWorkspaces workspace mode for output()
     */
    public record Tuning(CNN2DFormat format, CacheMode cacheMode, WorkspaceMode trainWorkspaces,
                         WorkspaceMode inferWorkspaces) {

        /** What ich builds; each setting measured by {@code ich bench train} (README, Benchmarks). */
        public static final Tuning DEFAULT = new Tuning(CNN2DFormat.NCHW, CacheMode.DEVICE, WorkspaceMode.ENABLED,
                WorkspaceMode.ENABLED);
    }

    /**
     * Applies {@link Tuning#DEFAULT}'s cache mode to a graph built elsewhere (a restored or pretrained zip), whose
     * saved configuration may lack it. Both the configuration (which opens the cache workspace) and the layers
     * (which fill it) need it.
     */
    public static ComputationGraph tune(ComputationGraph graph) {
        graph.getConfiguration().setCacheMode(Tuning.DEFAULT.cacheMode());
        graph.setCacheMode(Tuning.DEFAULT.cacheMode());
        return graph;
    }

    /** For inference only: channels-last, where DL4J M2.1's oneDNN inference runs 1.35-1.45x faster (README). */
    public static final Tuning INFERENCE = new Tuning(CNN2DFormat.NHWC, CacheMode.NONE, WorkspaceMode.ENABLED,
            WorkspaceMode.ENABLED);

    /**
     * The same network laid out channels-last, for scoring: weights do not depend on the layout, so the trained
     * parameters (batch-norm statistics included) carry over unchanged and inputs must be given as N x H x W x C.
     * Empty when {@code trained} is not the graph ich builds for {@code spec} (e.g. an adapted zoo network).
     */
    public static Optional<ComputationGraph> channelsLast(ComputationGraph trained, ModelSpec spec) {
        ComputationGraph nhwc = new ComputationGraph(configuration(spec.resolvedArchitecture(), spec.channels(),
                spec.size(), spec.head().outputs(), WeightedBce.forSpec(spec), 0, INFERENCE));
        nhwc.init();
        if (nhwc.numParams() != trained.numParams() || nhwc.getVertices().length != trained.getVertices().length) {
            return Optional.empty();
        }
        nhwc.setParams(trained.params());
        return Optional.of(nhwc);
    }

    public static ComputationGraphConfiguration configuration(Architecture architecture, int channels, int size,
                                                              int outputs, ILossFunction loss, long seed,
                                                              Tuning tuning) {
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(PLACEHOLDER_LEARNING_RATE))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .cacheMode(tuning.cacheMode())
                .trainingWorkspaceMode(tuning.trainWorkspaces())
                .inferenceWorkspaceMode(tuning.inferWorkspaces())
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(size, size, channels, tuning.format()));
        CNN2DFormat format = tuning.format();

        String previous = stem(graph, architecture.stemWidth(), format);
        for (int stage = 0; stage < architecture.stages(); stage++) {
            for (int block = 0; block < architecture.blocks(stage); block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                String name = "s" + (stage + 1) + "b" + (block + 1);
                previous = architecture.bottleneck()
                        ? bottleneckBlock(graph, name, previous, architecture.width(stage), stride, block == 0,
                                format)
                        : basicBlock(graph, name, previous, architecture.width(stage), stride,
                                block == 0 && stage > 0, format);
            }
        }

        graph.addLayer(FEATURES, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer(OUTPUT, new OutputLayer.Builder(loss)
                        .nOut(outputs)
                        .activation(Activation.SIGMOID)
                        // He init is for ReLU; the sigmoid head starts closer to 0.5 with Xavier.
                        .weightInit(WeightInit.XAVIER)
                        .build(), FEATURES)
                .setOutputs(OUTPUT);
        return graph.build();
    }

    /**
     * Loads a graph saved with ModelSerializer (e.g. DL4J zoo's ResNet-50) and fits it to a spec:
     * first convolution to the spec's channels, a fresh head for the spec's labels (initialised from {@code seed}).
     */
    public static ComputationGraph pretrained(Path zip, ModelSpec spec, long seed) throws IOException {
        return PretrainedAdapter.adapt(zip, spec, seed);
    }

    private static String stem(GraphBuilder graph, int width, CNN2DFormat format) {
        convBn(graph, "stem", INPUT, width, 7, 2, format);
        graph.addLayer("stem_relu", relu(), "stem_bn")
                .addLayer("stem_pool", new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(3, 3).stride(2, 2).dataFormat(format).build(), "stem_relu");
        return "stem_pool";
    }

    private static String basicBlock(GraphBuilder graph, String name, String input, int width, int stride,
                                     boolean project, CNN2DFormat format) {
        convBn(graph, name + "_a", input, width, 3, stride, format);
        graph.addLayer(name + "_a_relu", relu(), name + "_a_bn");
        convBn(graph, name + "_b", name + "_a_relu", width, 3, 1, format);
        return residual(graph, name, input, name + "_b_bn", width, stride, project, format);
    }

    private static String bottleneckBlock(GraphBuilder graph, String name, String input, int width, int stride,
                                          boolean project, CNN2DFormat format) {
        convBn(graph, name + "_a", input, width, 1, 1, format);
        graph.addLayer(name + "_a_relu", relu(), name + "_a_bn");
        convBn(graph, name + "_b", name + "_a_relu", width, 3, stride, format);
        graph.addLayer(name + "_b_relu", relu(), name + "_b_bn");
        int out = width * Architecture.BOTTLENECK_EXPANSION;
        convBn(graph, name + "_c", name + "_b_relu", out, 1, 1, format);
        return residual(graph, name, input, name + "_c_bn", out, stride, project, format);
    }

    private static String residual(GraphBuilder graph, String name, String input, String branch, int width,
                                   int stride, boolean project, CNN2DFormat format) {
        String shortcut = input;
        if (project) {
            convBn(graph, name + "_proj", input, width, 1, stride, format);
            shortcut = name + "_proj_bn";
        }
        graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut)
                .addLayer(name + "_out", relu(), name + "_add");
        return name + "_out";
    }

    /** Adds {@code <name>_conv} and {@code <name>_bn}; BN's shift makes a conv bias redundant. */
    private static void convBn(GraphBuilder graph, String name, String input, int width, int kernel, int stride,
                               CNN2DFormat format) {
        graph.addLayer(name + "_conv", new ConvolutionLayer.Builder(kernel, kernel)
                        .stride(stride, stride)
                        .nOut(width)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .dataFormat(format)
                        .build(), input)
                .addLayer(name + "_bn", new BatchNormalization.Builder().dataFormat(format).build(),
                        name + "_conv");
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
