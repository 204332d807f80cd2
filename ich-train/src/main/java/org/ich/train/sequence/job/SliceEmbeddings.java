package org.ich.train.sequence.job;

import java.sql.Timestamp;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.ich.train.data.SliceSource;
import org.ich.train.model.Tta;

/**
 * A version's slice stage run over slices on the executors, eval mode, the test-time views averaged: rows of
 * {@link SliceEmbeddingTable#SCHEMA}. Training (for the context stage) and scoring both embed through here, so the
 * context stage reads at scoring what it was trained on.
 */
public final class SliceEmbeddings {
    /** Columns of {@code slices} carried through to the embedding rows (after {@code key}, {@code patient_key}). */
    static final List<String> CARRIED = SliceEmbeddingTable.FROM_SLICES.subList(2, SliceEmbeddingTable.FROM_SLICES.size());

    private SliceEmbeddings() {
    }

    /**
     * @param series the whole series of every slice embedded (2.5D networks stack each slice with its neighbours);
     *               ignored by a 2D network
     * @param slices rows of the {@code slices} table to embed
     * @param done   counts embedded slices for a progress line, or null
     */
    public static Dataset<Row> compute(SparkSession spark, SliceStage stage, Dataset<Row> series, Dataset<Row> slices,
                                       List<Tta> views, int batchSize, Timestamp computedAt, LongAccumulator done) {
        JavaRDD<Row> rows = SliceSource.inputs(series, slices, stage.neighbours(), CARRIED).toJavaRDD();
        // Each executor core should have a task: while one task's minibatch is in the network, another prepares its next.
        int target = Math.max(rows.getNumPartitions(), spark.sparkContext().defaultParallelism());
        if (target != rows.getNumPartitions()) rows = rows.repartition(target);
        Broadcast<SliceStage> network = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(stage);
        return spark.createDataFrame(rows.mapPartitions(new EmbedFunction(network, views, batchSize, computedAt, done)),
                SliceEmbeddingTable.SCHEMA);
    }
}
