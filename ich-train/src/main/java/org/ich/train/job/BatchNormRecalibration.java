package org.ich.train.job;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.train.model.BatchNormStatistics;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.StoredModelZip;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Measures the batch-norm statistics of the network just fitted on a sample of training minibatches, on the
 * executors (one forward pass each, the model broadcast once as {@link Validator} does), and writes them into the
 * driver's network before it is validated, checkpointed or registered ({@link BatchNormStatistics}).
 */
final class BatchNormRecalibration {

    private BatchNormRecalibration() {
    }

    static BatchNormStatistics.Drift apply(JavaSparkContext sc, ComputationGraph model, JavaRDD<MultiDataSet> sample) {
        Broadcast<byte[]> bytes = sc.broadcast(StoredModelZip.bytes(model, false));
        try {
            BatchNormStatistics measured = sample.mapPartitions(new MeasureFunction(bytes))
                    .fold(new BatchNormStatistics(), BatchNormStatistics::merge);
            return measured.applyTo(model);
        } finally {
            bytes.destroy();
        }
    }

    private static final class MeasureFunction implements FlatMapFunction<Iterator<MultiDataSet>, BatchNormStatistics> {
        private final Broadcast<byte[]> model;

        MeasureFunction(Broadcast<byte[]> model) {
            this.model = model;
        }

        @Override
        public Iterator<BatchNormStatistics> call(Iterator<MultiDataSet> batches) throws IOException {
            BatchNormStatistics statistics = new BatchNormStatistics();
            if (!batches.hasNext()) {
                return List.of(statistics).iterator();
            }
            NativeHelpers.enable();
            ComputationGraph net = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(model.value()), false);
            while (batches.hasNext()) {
                statistics.add(net, batches.next().getFeatures(0));
            }
            return List.of(statistics).iterator();
        }
    }
}
