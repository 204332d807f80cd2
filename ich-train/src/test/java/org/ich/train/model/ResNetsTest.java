package org.ich.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

class ResNetsTest {

    /** Parameter counts of torchvision's resnet18/34/50 (ImageNet: 3 channels, 1000 classes). */
    private static final long TORCHVISION_RESNET18 = 11_689_512L;
    private static final long TORCHVISION_RESNET34 = 21_797_672L;
    private static final long TORCHVISION_RESNET50 = 25_557_032L;

    @Test
    void tinyPredictsOneOrSixProbabilitiesPerSlice() {
        for (Head head : Head.values()) {
            ComputationGraph graph = ResNets.build(ModelSpec.of("tiny", 3, 64, head), 7);
            INDArray out = graph.outputSingle(Nd4j.rand(4, 3, 64, 64));
            assertArrayEquals(new long[] {4, head.outputs()}, out.shape());
            assertTrue(out.minNumber().doubleValue() > 0 && out.maxNumber().doubleValue() < 1);
        }
    }

    @Test
    void resnet18TakesNeighbourSlicesAsChannels() {
        ComputationGraph graph = ResNets.build(ModelSpec.of("resnet18", 9, 64, Head.SIX), 7);
        assertArrayEquals(new long[] {2, 6}, graph.outputSingle(Nd4j.rand(2, 9, 64, 64)).shape());
    }

    /**
     * DL4J keeps batch norm's running mean and variance among the parameters (PyTorch keeps them
     * as buffers), so numParams exceeds torchvision's figure by exactly twice the BN channels;
     * without them the counts match torchvision to the parameter.
     */
    @Test
    void parameterCountsMatchTheReferenceNetworks() {
        assertCounts(Architecture.RESNET18, TORCHVISION_RESNET18, 11_699_112L);
        assertCounts(Architecture.RESNET34, TORCHVISION_RESNET34, 21_814_696L);
        assertCounts(Architecture.RESNET50, TORCHVISION_RESNET50, 25_610_152L);
    }

    @Test
    void oneTrainingStepAndASaveRoundTripKeepTheModel(@TempDir Path dir) throws Exception {
        ComputationGraph graph = ResNets.build(ModelSpec.of("tiny", 2, 32, Head.SIX), 3);
        INDArray features = Nd4j.rand(4, 2, 32, 32);
        INDArray labels = Nd4j.createFromArray(new float[][] {
                {1, 0, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0}});
        graph.fit(new MultiDataSet(features, labels));
        assertTrue(Double.isFinite(graph.score()));

        File zip = dir.resolve("tiny.zip").toFile();
        ModelSerializer.writeModel(graph, zip, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(zip, true);
        assertEquals(graph.outputSingle(features), restored.outputSingle(features));
        LossBinaryXENT loss = (LossBinaryXENT) ((org.deeplearning4j.nn.conf.layers.OutputLayer)
                restored.getLayer(ResNets.OUTPUT).conf().getLayer()).getLossFn();
        assertEquals(2.0 / 7, loss.getWeights().getDouble(0), 1e-6);
    }

    /**
     * DL4J M2.1's convolutions redo their forward pass during backprop unless the graph caches it; the cache must
     * be filled while training and must not change what a training step computes.
     */
    @Test
    void trainingCachesEachConvolutionsForwardOutputAndStepsAsWithoutTheCache() throws Exception {
        NativeHelpers.enable();
        ModelSpec spec = ModelSpec.of("tiny", 2, 32, Head.SIX);
        ResNets.Tuning uncached = new ResNets.Tuning(ResNets.Tuning.DEFAULT.format(), CacheMode.NONE,
                ResNets.Tuning.DEFAULT.trainWorkspaces(), ResNets.Tuning.DEFAULT.inferWorkspaces());
        ComputationGraph plain = new ComputationGraph(ResNets.configuration(spec.resolvedArchitecture(),
                spec.channels(), spec.size(), spec.head().outputs(), WeightedBce.forSpec(spec), 3, uncached));
        plain.init();
        ComputationGraph cached = ResNets.build(spec, 3);
        assertEquals(CacheMode.DEVICE, cached.getConfiguration().getCacheMode());

        MultiDataSet batch = new MultiDataSet(Nd4j.rand(4, 2, 32, 32), Nd4j.createFromArray(new float[][] {
                {1, 0, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0}}));
        for (int i = 0; i < 2; i++) {
            plain.fit(batch);
            cached.fit(batch);
        }
        assertEquals(plain.score(), cached.score(), 1e-6);
        assertTrue(plain.params().equalsWithEps(cached.params(), 1e-5));

        Field preOutput = AbstractLayer.class.getDeclaredField("preOutput");
        preOutput.setAccessible(true);
        int convolutions = 0;
        for (Layer layer : cached.getLayers()) {
            if (layer instanceof ConvolutionLayer) {
                convolutions++;
                assertNotNull(preOutput.get(layer), layer.conf().getLayer().getLayerName());
            }
        }
        assertTrue(convolutions > 0);
    }

    @Test
    void tuneGivesAGraphSavedWithoutTheCacheTheDefaultCacheMode() {
        ModelSpec spec = ModelSpec.of("tiny", 2, 32, Head.ANY);
        ComputationGraph graph = new ComputationGraph(ResNets.configuration(spec.resolvedArchitecture(),
                spec.channels(), spec.size(), spec.head().outputs(), WeightedBce.forSpec(spec), 3,
                new ResNets.Tuning(CNN2DFormat.NCHW, CacheMode.NONE, WorkspaceMode.ENABLED, WorkspaceMode.ENABLED)));
        graph.init();
        ResNets.tune(graph);
        assertEquals(ResNets.Tuning.DEFAULT.cacheMode(), graph.getConfiguration().getCacheMode());
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof AbstractLayer<?> abstractLayer) {
                assertEquals(ResNets.Tuning.DEFAULT.cacheMode(), cacheMode(abstractLayer));
            }
        }
    }

    private static CacheMode cacheMode(AbstractLayer<?> layer) {
        try {
            Field mode = AbstractLayer.class.getDeclaredField("cacheMode");
            mode.setAccessible(true);
            return (CacheMode) mode.get(layer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertCounts(Architecture architecture, long torchvision, long dl4j) {
        ComputationGraphConfiguration conf =
                ResNets.configuration(architecture, 3, 64, 1000, new LossBinaryXENT(), 1);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        long runningStats = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization) {
                // Everything but the learned scale and shift: mean and variance (DL4J stores log10 std by default).
                runningStats += layer.numParams() - layer.getParam("gamma").length() - layer.getParam("beta").length();
            }
        }
        assertEquals(torchvision, graph.numParams() - runningStats, architecture.id());
        assertEquals(dl4j, graph.numParams(), architecture.id());
        assertTrue(Math.abs(graph.numParams() - torchvision) < 0.01 * torchvision);
    }
}
