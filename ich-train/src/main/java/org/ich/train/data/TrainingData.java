package org.ich.train.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.ich.domain.Split;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * Minibatch streams for training and validation, decoded on the executors. Nothing here collects slices
 * to the driver; the counts it returns are computed by Spark without reading the tensors.
 */
public final class TrainingData {

    public static final String TRAIN = Split.TRAIN;
    public static final String VALID = Split.VALID;

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

    public Dataset<Row> rows(String split) {
        return SliceSource.labelled(table, split, labelColumns, config.neighbours());
    }

    /**
     * One epoch's training rows (negatives sampled, keyed by seed and epoch, so a recomputed partition is the same
     * partition), how many there are, and how each becomes a network input at the epoch's size.
     */
    public record Epoch(Dataset<Row> rows, long slices, SamplePipeline pipeline, int number) {
    }

    public Epoch trainEpoch(int epoch, int size) {
        Dataset<Row> rows = rows(TRAIN);
        if (!config.sampler().keepsAll()) {
            rows = rows.where(sampled(epoch).apply(col(SliceSource.KEY), positive()));
        }
        return new Epoch(rows, rows.count(), new SamplePipeline(size, config.augmentation(), config.seed(), epoch), epoch);
    }

    /**
     * The epoch's minibatches as {@code layout} cuts them: the rows in a fresh order (a keyed hash of seed, epoch
     * and slice when shuffling, else by slice key), numbered through the epoch, the last round topped up from the
     * start of that order, then grouped into full minibatches one RDD per round. Computed on the executors; the
     * numbered rows are kept (serialised, spilling to disk) until the rounds are closed.
     */
    public Rounds rounds(Epoch epoch, EpochLayout layout) {
        return new Rounds(placed(epoch, layout).persist(StorageLevel.MEMORY_AND_DISK_SER()), layout, epoch.pipeline());
    }

    /** The epoch's minibatches for a single learner (lr-find), in the order one worker would fit them. */
    public JavaRDD<MultiDataSet> batches(Epoch epoch) {
        EpochLayout layout = EpochLayout.of(epoch.slices(), config.batchSize(), 1, 1);
        return Rounds.round(placed(epoch, layout), layout, epoch.pipeline(), 0);
    }

    /** The epoch's rows keyed by their sample positions: each slice at its place in the order, and again if topped up. */
    private JavaPairRDD<Long, ShuffledSlice> placed(Epoch epoch, EpochLayout layout) {
        Column order = config.shuffle()
                ? xxhash64(lit(config.seed()), lit(epoch.number()), col(SliceSource.KEY)) : col(SliceSource.KEY);
        long slices = epoch.slices();
        long positions = layout.positions();
        return epoch.rows().orderBy(order, col(SliceSource.KEY)).javaRDD()
                .map(row -> ShuffledSlice.of(SliceSource.toSample(row)))
                .zipWithIndex()
                .flatMapToPair(numbered -> {
                    List<Tuple2<Long, ShuffledSlice>> at = new ArrayList<>(1);
                    for (long position = numbered._2(); position < positions; position += slices) {
                        at.add(new Tuple2<>(position, numbered._1()));
                    }
                    return at.iterator();
                });
    }

    /** An epoch's minibatches, one RDD per averaging round; closing releases the numbered rows. */
    public static final class Rounds implements AutoCloseable {
        private final JavaPairRDD<Long, ShuffledSlice> placed;
        private final EpochLayout layout;
        private final SamplePipeline pipeline;

        Rounds(JavaPairRDD<Long, ShuffledSlice> placed, EpochLayout layout, SamplePipeline pipeline) {
            this.placed = placed;
            this.layout = layout;
            this.pipeline = pipeline;
        }

        /**
         * Round {@code round}'s minibatches: each one's rows in one partition, in epoch order, so that a partition
         * is a run of whole minibatches (only the epoch's very last may be short, and it comes last).
         */
        public JavaRDD<MultiDataSet> round(int round) {
            return round(placed, layout, pipeline, round);
        }

        static JavaRDD<MultiDataSet> round(JavaPairRDD<Long, ShuffledSlice> placed, EpochLayout layout, SamplePipeline pipeline,
                                           int round) {
            int partitions = (int) Math.min(layout.batchesPerRound(), Math.max(1, placed.getNumPartitions()));
            return placed.filter(p -> layout.roundOf(p._1()) == round)
                    .repartitionAndSortWithinPartitions(new BatchPartitioner(layout, partitions))
                    .values()
                    .mapPartitions(slices -> BatchFunction.batches(BatchFunction.mapped(slices, ShuffledSlice::sample),
                            layout.batchSize(), pipeline));
        }

        @Override
        public void close() {
            placed.unpersist(false);
        }
    }

    /** Sends every sample position of a minibatch to the same partition. */
    static final class BatchPartitioner extends Partitioner {
        private final EpochLayout layout;
        private final int partitions;

        BatchPartitioner(EpochLayout layout, int partitions) {
            this.layout = layout;
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object position) {
            return (int) (layout.batchOf((Long) position) % partitions);
        }
    }

    /**
     * About {@code slices} of the epoch's training rows (a seeded Bernoulli draw; all of them when the epoch has fewer),
     * never augmented, at the epoch's size: the sample the batch-norm statistics are measured on.
     */
    public JavaRDD<MultiDataSet> sampleBatches(Epoch epoch, long slices) {
        Dataset<Row> rows = epoch.rows();
        if (slices < epoch.slices()) {
            rows = rows.sample(false, (double) slices / epoch.slices(), config.seed() * 31 + epoch.number());
        }
        return batches(rows, epoch.pipeline().size());
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
