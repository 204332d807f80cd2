package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Guards the oneDNN speed-up: fails if a DL4J/ND4J upgrade, a classpath change or a lost system
 * property leaves the layers on DL4J's built-in code, which nothing else would notice.
 */
class NativeHelpersTest {

    @BeforeAll
    static void enable() {
        NativeHelpers.enable();
    }

    @Test
    void oneDnnIsVisibleToDl4j() {
        assertTrue(NativeHelpers.oneDnnAvailable(), NativeHelpers.report());
        // The onednn classifier must be on the classpath and chosen by JavaCPP.
        assertTrue(NativeHelpers.libnd4jHasOneDnn(), NativeHelpers.report());
        assertTrue(NativeHelpers.report().contains("conv helper MKLDNNConvHelper"), NativeHelpers.report());
    }

    @Test
    void everyResNetConvPoolAndNormLayerHasItsHelperAndKeepsItWhileTraining() throws Exception {
        ComputationGraph graph = ResNets.build(ModelSpec.of("resnet18", 3, 32, Head.SIX), 5);
        assertEquals(List.of(), NativeHelpers.layersWithoutHelper(graph));
        Map<String, String> helpers = NativeHelpers.helpers(graph);
        assertEquals("MKLDNNConvHelper", helpers.get("stem_conv"));
        assertEquals("MKLDNNSubsamplingHelper", helpers.get("stem_pool"));
        assertEquals("MKLDNNBatchNormHelper", helpers.get("stem_bn"));

        graph.fit(new MultiDataSet(Nd4j.rand(2, 3, 32, 32), Nd4j.createFromArray(new float[][] {
                {1, 0, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0}})));
        // A helper that throws is dropped after the first failure with only a log warning.
        for (Layer layer : graph.getLayers()) {
            assertEquals(0, helperFailures(layer), layer.conf().getLayer().getLayerName());
        }
    }

    private static int helperFailures(Layer layer) throws ReflectiveOperationException {
        Class<?> type = layer instanceof ConvolutionLayer ? ConvolutionLayer.class
                : layer instanceof SubsamplingLayer ? SubsamplingLayer.class
                : layer instanceof BatchNormalization ? BatchNormalization.class : null;
        if (type == null) {
            return 0;
        }
        Field failures = type.getDeclaredField("helperCountFail");
        failures.setAccessible(true);
        return failures.getInt(layer);
    }
}
