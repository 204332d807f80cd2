package org.ich.train.data;

import java.util.Iterator;
import java.util.function.Function;

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
        return batches(mapped(rows, SliceSource::toSample), batchSize, pipeline);
    }

    /** Minibatches of the samples in the order they come; runs on the executors. */
    static Iterator<MultiDataSet> batches(Iterator<SliceSample> samples, int batchSize, SamplePipeline pipeline) {
        // Runs in the executor JVM before DL4J's worker builds its copy of the network in the same task, so the
        // copy gets its oneDNN helpers (the switch is per JVM and read when layers are built).
        NativeHelpers.enable();
        return mapped(new Batcher(samples, batchSize, pipeline), batch -> batch);
    }

    static <A, B> Iterator<B> mapped(Iterator<A> in, Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public B next() {
                return f.apply(in.next());
            }
        };
    }
}
