package org.ich.train.job;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.model.StoredModelZip;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs a network over minibatches on the executors and brings back only the probabilities and labels.
 * The model travels as a stored (not deflated) zip of its configuration and parameters (one broadcast), and each
 * partition rebuilds it once, channels-last when it is a network ich built.
 */
final class Validator {

    private Validator() {
    }

    /**
     * @param spec the network as ich built it (at the epoch's size), so that the executors can run it channels-last
     *             as scoring does (DL4J's oneDNN inference is faster that way); null runs the graph as trained
     */
    static Predictions predict(JavaSparkContext sc, ComputationGraph model, ModelSpec spec, JavaRDD<MultiDataSet> batches) {
        Broadcast<byte[]> bytes = sc.broadcast(StoredModelZip.bytes(model, false));
        try {
            return Predictions.concat(batches.mapPartitions(new PredictFunction(bytes, spec)).collect());
        } finally {
            bytes.destroy();
        }
    }

    private static final class PredictFunction implements FlatMapFunction<Iterator<MultiDataSet>, Predictions> {
        private final Broadcast<byte[]> model;
        private final ModelSpec spec;

        PredictFunction(Broadcast<byte[]> model, ModelSpec spec) {
            this.model = model;
            this.spec = spec;
        }

        @Override
        public Iterator<Predictions> call(Iterator<MultiDataSet> batches) throws IOException {
            if (!batches.hasNext()) {
                return List.<Predictions>of().iterator();
            }
            // Executors are other JVMs: the helper switch is per JVM and read when layers are built.
            NativeHelpers.enable();
            ComputationGraph trained = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(model.value()), false);
            Optional<ComputationGraph> nhwc = spec == null ? Optional.empty() : ResNets.channelsLast(trained, spec);
            ComputationGraph net = nhwc.orElse(trained);
            List<Predictions> out = new ArrayList<>();
            while (batches.hasNext()) {
                MultiDataSet batch = batches.next();
                INDArray features = batch.getFeatures(0);
                INDArray probs = net.outputSingle(false, nhwc.isPresent() ? features.permute(0, 2, 3, 1).dup('c') : features);
                out.add(new Predictions(probs.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix(),
                        batch.getLabels(0).toIntMatrix()));
            }
            return out.iterator();
        }
    }
}
