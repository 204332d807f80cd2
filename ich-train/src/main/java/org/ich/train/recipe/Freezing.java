package org.ich.train.recipe;

import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Freezing and thawing the backbone. DL4J freezes with {@code TransferLearning.setFeatureExtractor}, which
 * wraps every vertex up to the named one in {@code FrozenLayer}/{@code FrozenVertex}; it has no way back,
 * so thawing rebuilds the graph from the configuration with the wrappers taken off and copies each
 * layer's parameters (batch-norm statistics included, DL4J keeps them as parameters) across by name.
 */
public final class Freezing {

    private Freezing() {
    }

    public static boolean isFrozen(ComputationGraph graph) {
        return graph.getConfiguration().getVertices().values().stream().anyMatch(Freezing::frozen);
    }

    /** The same network with every layer trainable; the graph itself when nothing is frozen. */
    public static ComputationGraph thaw(ComputationGraph graph) {
        if (!isFrozen(graph)) {
            return graph;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            GraphVertex vertex = entry.getValue();
            if (vertex instanceof FrozenVertex frozenVertex) {
                entry.setValue(frozenVertex.getUnderlying());
            } else if (vertex instanceof LayerVertex layerVertex
                    && layerVertex.getLayerConf().getLayer() instanceof FrozenLayer frozenLayer) {
                layerVertex.getLayerConf().setLayer(frozenLayer.getLayer());
            }
        }
        ComputationGraph thawed = new ComputationGraph(conf);
        thawed.init();
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex vertex : thawed.getVertices()) {
            if (vertex.hasLayer() && vertex.getLayer().numParams() > 0) {
                vertex.getLayer().setParams(graph.getLayer(vertex.getVertexName()).params().dup());
            }
        }
        return thawed;
    }

    private static boolean frozen(GraphVertex vertex) {
        return vertex instanceof FrozenVertex
                || vertex instanceof LayerVertex layerVertex && layerVertex.getLayerConf().getLayer() instanceof FrozenLayer;
    }
}
