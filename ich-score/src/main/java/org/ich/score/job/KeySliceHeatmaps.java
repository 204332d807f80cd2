package org.ich.score.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.SliceTable;
import org.ich.score.ScoringModel;
import org.ich.train.data.PlaneResizer;
import org.ich.train.model.Heatmap;
import org.ich.train.model.Logit;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.Occlusion;
import org.ich.train.model.SlicePredictor;
import org.ich.train.model.SliceScorer;
import org.ich.train.model.Tta;

/**
 * Where the model looked: an occlusion map of the log-odds of p(any) on the key slice (the top "any" slice) of every flagged study,
 * computed on the executors and kept in {@code slice_heatmaps}, one row per version and slice. Occlusion, not
 * Grad-CAM: see {@link Occlusion}. The map is the slice stage's (the context stage reads embeddings, not pixels), at
 * the network's input size ({@link Occlusion#atInputResolution}).
 */
public final class KeySliceHeatmaps {
    public static final String NAME = "slice_heatmaps";
    public static final StructType SCHEMA = new StructType(new StructField[] {
        EtlTables.column("model_version", DataTypes.StringType, false, "registry version whose slice network was occluded"),
        EtlTables.column(SliceTable.KEY, DataTypes.StringType, false, "the key slice, as in slices"),
        EtlTables.column("label", DataTypes.StringType, false, "the output the map explains (any)"),
        EtlTables.column("size", DataTypes.IntegerType, false, "S: the map is S x S, on the network's input grid"),
        EtlTables.column("drops", DataTypes.BinaryType, false, "S x S float32 little-endian, row-major: mean drop of the"
                + " log-odds of p when the pixel is covered"),
        EtlTables.column("peak_row", DataTypes.IntegerType, false, "row of the largest drop (0 = top)"),
        EtlTables.column("peak_col", DataTypes.IntegerType, false, "column of the largest drop (0 = image left)"),
        EtlTables.column("peak_drop", DataTypes.DoubleType, false, "the largest drop"),
        EtlTables.column("p_slice", DataTypes.DoubleType, false, "p of the unoccluded slice (slice stage, identity view)"),
        EtlTables.column("computed_at", DataTypes.TimestampType, false, "when the map was computed (UTC)")});

    private KeySliceHeatmaps() {
    }

    /** Maps the flagged studies' key slices that have none yet for this version; returns how many it computed. */
    static long compute(SparkSession spark, CommonConfig common, ScoringModel model, PrintStream out) {
        String table = ensure(spark, common);
        if (model.neighbours()) {
            out.println("score: no heatmaps for " + model.version() + ": its network reads slices stacked with their"
                    + " neighbours, which occluding one slice does not explain");
            return 0;
        }
        Dataset<Row> keySlices = spark.table(common.table(StudyPredictionTable.NAME))
                .where(col("model_version").equalTo(lit(model.version())).and(col("flagged")))
                .select(col(StudyPredictionTable.topSliceKey(Labels.NAMES.get(Labels.ANY))).as(SliceTable.KEY));
        Dataset<Row> known = spark.table(table).where(col("model_version").equalTo(lit(model.version())))
                .select(SliceTable.KEY);
        Dataset<Row> todo = spark.table(common.table(SliceTable.NAME)).join(keySlices, SliceTable.KEY, "left_semi")
                .join(known, SliceTable.KEY, "left_anti")
                .select(SliceTable.KEY, "tensor", "tensor_channels", "tensor_size");
        long n = todo.count();
        if (n == 0) return 0;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ScoringModel> shipped = sc.broadcast(model);
        try {
            JavaRDD<Row> maps = todo.javaRDD().mapPartitions(new MapFunction(shipped, Timestamp.from(Instant.now())));
            spark.createDataFrame(maps, SCHEMA).writeTo(table).append();
        } catch (NoSuchTableException e) {
            throw new IllegalStateException("table " + table + " vanished while being written", e);
        } finally {
            shipped.destroy();
        }
        out.printf("score: occlusion heatmaps of %d flagged studies' key slices -> %s%n", n, table);
        return n;
    }

    /**
     * Creates the table, or adds the columns it lacks; returns its name. A table from before the PHI boundary (SOP UIDs
     * for slices) is refused rather than evolved.
     */
    static String ensure(SparkSession spark, CommonConfig common) {
        String table = common.table(NAME);
        EtlTables.createOrEvolve(spark, table, SCHEMA, "model_version", Map.of("format-version", "2"));
        return table;
    }

    /** The map's drops as stored. */
    public static float[] drops(byte[] stored) {
        ByteBuffer b = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[stored.length / Float.BYTES];
        for (int i = 0; i < values.length; i++) values[i] = b.getFloat();
        return values;
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** On an executor: one occlusion map per key slice, with the JVM's cached slice network. */
    private static final class MapFunction implements FlatMapFunction<Iterator<Row>, Row> {
        private final Broadcast<ScoringModel> model;
        private final Timestamp at;

        MapFunction(Broadcast<ScoringModel> model, Timestamp at) {
            this.model = model;
            this.at = at;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> slices) {
            if (!slices.hasNext()) return List.<Row>of().iterator();
            NativeHelpers.enable();
            ScoringModel m = model.value();
            int size = m.size();
            // One view: the map explains what the network saw, not the mirrored copy averaged in by TTA.
            SlicePredictor predictor = new SlicePredictor(m.sliceStage().prepared(), size, List.of(Tta.IDENTITY));
            SliceScorer scorer = SliceScorer.logitOf(predictor, Labels.ANY);
            Occlusion occlusion = Occlusion.atInputResolution(size);
            List<Row> out = new ArrayList<>();
            while (slices.hasNext()) {
                Row s = slices.next();
                int channels = s.getInt(2);
                byte[] tensor = PlaneResizer.resize((byte[]) s.get(1), channels, s.getInt(3), size);
                Heatmap h = occlusion.map(scorer, tensor, channels, size, Labels.ANY);
                out.add(RowFactory.create(m.version(), s.getString(0), Labels.NAMES.get(Labels.ANY), size, bytes(h.values()),
                        h.peakRow(), h.peakCol(), (double) h.peak(), Logit.sigmoid(h.baseline()), at));
            }
            return out.iterator();
        }
    }
}
