package org.ich.train.job;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.train.model.NativeHelpers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs a network over minibatches on the executors and brings back only the probabilities and labels.
 * The model travels as its ModelSerializer bytes (one broadcast), and each partition rebuilds it once.
 */
final class Validator {

    private Validator() {
    }

    static Predictions predict(JavaSparkContext sc, ComputationGraph model, JavaRDD<MultiDataSet> batches) {
        Broadcast<byte[]> bytes = sc.broadcast(serialize(model));
        try {
            return Predictions.concat(batches.mapPartitions(new PredictFunction(bytes)).collect());
        } finally {
            bytes.destroy();
        }
    }

    static byte[] serialize(ComputationGraph model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final class PredictFunction implements FlatMapFunction<Iterator<MultiDataSet>, Predictions> {
        private final Broadcast<byte[]> model;

        PredictFunction(Broadcast<byte[]> model) {
            this.model = model;
        }

        @Override
        public Iterator<Predictions> call(Iterator<MultiDataSet> batches) throws IOException {
            if (!batches.hasNext()) {
                return List.<Predictions>of().iterator();
            }
            // Executors are other JVMs: the helper switch is per JVM and read when layers are built.
            NativeHelpers.enable();
            ComputationGraph net = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(model.value()), false);
            List<Predictions> out = new ArrayList<>();
            while (batches.hasNext()) {
                MultiDataSet batch = batches.next();
                INDArray probs = net.outputSingle(false, batch.getFeatures(0));
                out.add(new Predictions(probs.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix(),
                        batch.getLabels(0).toIntMatrix()));
            }
            return out.iterator();
        }
    }
}
