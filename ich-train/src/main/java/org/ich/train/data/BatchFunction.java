package org.ich.train.data;

import java.util.Iterator;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.ich.train.model.NativeHelpers;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Runs on the executors: a partition of slice rows in, a stream of minibatches out. */
public final class BatchFunction implements FlatMapFunction<Iterator<Row>, MultiDataSet> {

    private final int batchSize;
    private final SamplePipeline pipeline;

    public BatchFunction(int batchSize, SamplePipeline pipeline) {
        this.batchSize = batchSize;
        this.pipeline = pipeline;
    }

    @Override
    public Iterator<MultiDataSet> call(Iterator<Row> rows) {
        // Runs in the executor JVM before DL4J's worker builds its copy of the network in the same task, so the
        // copy gets its oneDNN helpers (the switch is per JVM and read when layers are built).
        NativeHelpers.enable();
        Iterator<SliceSample> samples = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public SliceSample next() {
                return SliceSource.toSample(rows.next());
            }
        };
        Iterator<org.nd4j.linalg.dataset.MultiDataSet> batches = new Batcher(samples, batchSize, pipeline);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public MultiDataSet next() {
                return batches.next();
            }
        };
    }
}
