package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

class PretrainedAdapterTest {

    private static final String FIRST_CONV = "stem_conv";

    /** Stands in for an ImageNet model: RGB input, ten classes, unweighted loss. */
    private static Path savedSource(Path dir) throws Exception {
        ComputationGraph source = new ComputationGraph(
                ResNets.configuration(Architecture.TINY, 3, 64, 10, new LossBinaryXENT(), 11));
        source.init();
        Path zip = dir.resolve("source.zip");
        ModelSerializer.writeModel(source, zip.toFile(), false);
        return zip;
    }

    @Test
    void newChannelsShareTheAveragedRgbFiltersAndTheHeadIsReplaced(@TempDir Path dir) throws Exception {
        Path zip = savedSource(dir);
        ComputationGraph source = ModelSerializer.restoreComputationGraph(zip.toFile(), false);

        ComputationGraph adapted = ResNets.pretrained(zip, ModelSpec.of("tiny", 5, 64, Head.SIX), 1);

        assertArrayEquals(new long[] {3, 6}, adapted.outputSingle(Nd4j.rand(3, 5, 64, 64)).shape());
        INDArray rgb = source.getLayer(FIRST_CONV).getParam("W");
        INDArray adaptedW = adapted.getLayer(FIRST_CONV).getParam("W");
        assertArrayEquals(new long[] {16, 5, 7, 7}, adaptedW.shape());
        // Filter 2, row 3, column 4: each new channel carries the RGB mean scaled by 3/5.
        double expected = (rgb.getDouble(2, 0, 3, 4) + rgb.getDouble(2, 1, 3, 4) + rgb.getDouble(2, 2, 3, 4)) / 5;
        for (int c = 0; c < 5; c++) {
            assertEquals(expected, adaptedW.getDouble(2, c, 3, 4), 1e-6);
        }
        // A grey image (same on every channel) meets the first layer as it did before.
        assertEquals(rgb.sumNumber().doubleValue(), adaptedW.sumNumber().doubleValue(), 1e-3);
        assertEquals(source.getLayer("s2b1_b_conv").getParam("W"), adapted.getLayer("s2b1_b_conv").getParam("W"));
        assertEquals(source.getLayer("s2b1_b_bn").params(), adapted.getLayer("s2b1_b_bn").params());
    }

    /** Like DL4J zoo's ResNet-50: a spatial pooling then a flattening softmax head, biased convolutions. */
    @Test
    void aFlatteningHeadGivesWayToGlobalPoolingSoOtherImageSizesFit(@TempDir Path dir) throws Exception {
        ComputationGraph source = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(3)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(32, 32, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2).build(),
                        "conv")
                .addLayer("fc", new OutputLayer.Builder(new LossMCXENT()).nOut(10).activation(Activation.SOFTMAX).build(),
                        "pool")
                .setOutputs("fc")
                .build());
        source.init();
        source.getLayer("conv").getParam("b").assign(0.25);
        Path zip = dir.resolve("flat.zip");
        ModelSerializer.writeModel(source, zip.toFile(), false);

        ComputationGraph adapted = ResNets.pretrained(zip, ModelSpec.of("resnet50", 1, 48, Head.SIX), 1);

        assertArrayEquals(new long[] {2, 6}, adapted.outputSingle(Nd4j.rand(2, 1, 48, 48)).shape());
        assertEquals(0.25, adapted.getLayer("conv").getParam("b").meanNumber().doubleValue(), 1e-6);
        assertEquals(4, ((FeedForwardLayer) adapted.getLayer(ResNets.OUTPUT).conf().getLayer()).getNIn());
    }

    @Test
    void matchingChannelsKeepTheFirstLayerAsTrained(@TempDir Path dir) throws Exception {
        Path zip = savedSource(dir);
        ComputationGraph source = ModelSerializer.restoreComputationGraph(zip.toFile(), false);

        ComputationGraph adapted = ResNets.pretrained(zip, ModelSpec.of("tiny", 3, 64, Head.ANY), 1);

        assertEquals(source.getLayer(FIRST_CONV).getParam("W"), adapted.getLayer(FIRST_CONV).getParam("W"));
        assertArrayEquals(new long[] {2, 1}, adapted.outputSingle(Nd4j.rand(2, 3, 64, 64)).shape());
    }
}
