package org.ich.train.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Minibatch streams for training and validation, decoded on the executors. Nothing here collects slices
 * to the driver; the counts it returns are computed by Spark without reading the tensors.
 */
public final class TrainingData {

    public static final String TRAIN = "train";
    public static final String VALID = "valid";

    private final Dataset<Row> table;
    private final DataConfig config;
    private final List<String> labelColumns;

    /**
     * @param table        the {@code slices} table, pinned to the snapshot the run trains on
     * @param labelColumns the {@code label_*} columns the model predicts, in output order
     */
    public TrainingData(Dataset<Row> table, DataConfig config, List<String> labelColumns) {
        this.table = table;
        this.config = config;
        this.labelColumns = List.copyOf(labelColumns);
    }

    /** One epoch of training batches and how many slices they hold. */
    public record Epoch(JavaRDD<MultiDataSet> batches, long slices) {
    }

    public Dataset<Row> rows(String split) {
        return SliceSource.labelled(table, split, labelColumns, config.neighbours());
    }

    /**
     * The epoch's training slices (negatives sampled, order shuffled, both keyed by seed and epoch, so a
     * recomputed partition is the same partition), augmented and resized to {@code size}.
     */
    public Epoch trainEpoch(int epoch, int size) {
        Dataset<Row> rows = rows(TRAIN);
        if (!config.sampler().keepsAll()) {
            rows = rows.where(sampled(epoch).apply(col(SliceSource.KEY), positive()));
        }
        long slices = rows.count();
        if (config.shuffle()) {
            Column order = xxhash64(lit(config.seed()), lit(epoch), col(SliceSource.KEY));
            rows = rows.repartition(order).sortWithinPartitions(order);
        }
        SamplePipeline pipeline = new SamplePipeline(size, config.augmentation(), config.seed(), epoch);
        return new Epoch(rows.javaRDD().mapPartitions(new BatchFunction(config.batchSize(), pipeline)), slices);
    }

    /** Validation batches: every usable slice, never augmented, in table order. */
    public JavaRDD<MultiDataSet> validBatches(int size) {
        return batches(rows(VALID), size);
    }

    public JavaRDD<MultiDataSet> batches(Dataset<Row> rows, int size) {
        return rows.javaRDD().mapPartitions(new BatchFunction(config.batchSize(), SamplePipeline.plain(size)));
    }

    private Column positive() {
        Column[] labels = labelColumns.stream().map(c -> col(c)).toArray(Column[]::new);
        return (labels.length == 1 ? labels[0] : greatest(labels)).gt(0);
    }

    private UserDefinedFunction sampled(int epoch) {
        NegativeSampler sampler = config.sampler();
        return udf((UDF2<String, Boolean, Boolean>) (key, positive) -> sampler.keep(key, positive, epoch),
                DataTypes.BooleanType);
    }
}
