package org.ich.train.model;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Turns an ImageNet-style saved graph into one for CT slices: the first convolution takes the
 * spec's channel count and a new sigmoid head predicts the spec's labels. Everything in between
 * keeps its trained weights.
 */
final class PretrainedAdapter {

    private PretrainedAdapter() {
    }

    /** Added when the source head sits on spatial features, e.g. DL4J zoo ResNet-50's 3x3 "avgpool". */
    static final String GLOBAL_POOL = "ich_global_pool";

    static ComputationGraph adapt(Path zip, ModelSpec spec, long seed) throws IOException {
        ComputationGraph source = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        ComputationGraphConfiguration conf = source.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException(zip + ": expected one input and one output, got "
                    + conf.getNetworkInputs() + " -> " + conf.getNetworkOutputs());
        }
        String firstConv = firstConvolution(source, zip);
        String oldHead = conf.getNetworkOutputs().get(0);
        String[] headInputs = conf.getVertexInputs().get(oldHead).toArray(new String[0]);
        long sourceChannels = ((ConvolutionLayer) source.getLayer(firstConv).conf().getLayer()).getNIn();
        boolean newChannels = sourceChannels != spec.channels();

        TransferLearning.GraphBuilder transfer = new TransferLearning.GraphBuilder(source)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .seed(seed)
                        .updater(new Adam(ResNets.PLACEHOLDER_LEARNING_RATE))
                        .build());
        if (newChannels) {
            transfer.nInReplace(firstConv, spec.channels(), WeightInit.RELU);
        }
        transfer.removeVertexAndConnections(oldHead);
        if (!globallyPooled(source, headInputs)) {
            // A flattening head would tie the model to the source's image size; ich's sizes differ.
            transfer.addLayer(GLOBAL_POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), headInputs);
            headInputs = new String[] {GLOBAL_POOL};
        }
        ComputationGraph adapted = transfer
                // nIn left to inference from the new input type, for the same reason.
                .addLayer(ResNets.OUTPUT, new OutputLayer.Builder(WeightedBce.forSpec(spec))
                        .nOut(spec.head().outputs())
                        .activation(Activation.SIGMOID)
                        .weightInit(WeightInit.XAVIER)
                        .build(), headInputs)
                .setOutputs(ResNets.OUTPUT)
                .setInputTypes(InputType.convolutional(spec.size(), spec.size(), spec.channels()))
                .build();

        if (newChannels) {
            Layer before = source.getLayer(firstConv);
            Layer after = adapted.getLayer(firstConv);
            after.setParam(DefaultParamInitializer.WEIGHT_KEY,
                    spreadOverChannels(before.getParam(DefaultParamInitializer.WEIGHT_KEY), spec.channels()));
            if (before.paramTable().containsKey(DefaultParamInitializer.BIAS_KEY)) {
                after.setParam(DefaultParamInitializer.BIAS_KEY, before.getParam(DefaultParamInitializer.BIAS_KEY));
            }
        }
        // The source's saved configuration (e.g. DL4J zoo) has no forward cache: its convolutions would run twice.
        return ResNets.tune(adapted);
    }

    private static boolean globallyPooled(ComputationGraph graph, String[] headInputs) {
        return headInputs.length == 1 && graph.getVertex(headInputs[0]).hasLayer()
                && graph.getLayer(headInputs[0]).conf().getLayer() instanceof GlobalPoolingLayer;
    }

    /**
     * Averages the filters over the source's input channels and repeats the mean on every new
     * channel, scaled by source/target channel count: an image that is the same on every channel
     * then yields the same first-layer response as before, so the trained statistics downstream
     * (batch norm in particular) still fit.
     *
     * @param weights [out, in, kH, kW]
     */
    static INDArray spreadOverChannels(INDArray weights, int channels) {
        long sourceChannels = weights.size(1);
        INDArray mean = weights.mean(true, 1).muli((double) sourceChannels / channels);
        return mean.repeat(1, channels);
    }

    private static String firstConvolution(ComputationGraph graph, Path zip) {
        GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            if (vertex.hasLayer() && vertex.getLayer().conf().getLayer() instanceof ConvolutionLayer) {
                return vertex.getVertexName();
            }
        }
        throw new IllegalArgumentException(zip + ": no convolution layer to adapt");
    }
}
