package org.ich.score.ml;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.ich.score.ScoringModel;
import org.ich.train.model.Tta;

/**
 * A trained ich slice model as a Spark ML {@link Model}: {@link #transform} adds one probability column per label to a
 * DataFrame of slice tensors (the {@code slices} table's columns by default), scoring a minibatch at a time on the
 * executors, channels-last for networks ich built, with the test-time views averaged.
 *
 * <pre>
 * HemorrhageModel model = HemorrhageModel.load("s3a://bucket/registry/versions/V");   // a registry version
 * Dataset&lt;Row&gt; scored = model.transform(spark.table("ich.slices"));                 // + p_any ... p_subdural
 * </pre>
 *
 * <p>A 2.5D model stacks each slice between its neighbours in the same series (by {@code seriesCol} and
 * {@code sliceIndexCol}); {@link #transform(Dataset)} looks for them in the DataFrame it scores, so give it whole
 * series, or use {@link #transform(Dataset, Dataset)} to score some slices with the neighbours taken from others. At
 * the ends of a series, or where a neighbour is missing, the slice stands in for it (as in training).
 *
 * <p>{@link #save} writes Spark ML's layout (params under {@code metadata/}, the network as {@code model.zip}), so the
 * model can also be a stage of a saved {@code PipelineModel}.
 */
public final class HemorrhageModel extends Model<HemorrhageModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final ScoringModel scoring;
    /** Optional: counts scored slices for a driver-side progress line; not a param, not saved. */
    private LongAccumulator progress;

    private final Param<String> tensorCol;
    private final Param<String> channelsCol;
    private final Param<String> sizeCol;
    private final Param<String> seriesCol;
    private final Param<String> sliceIndexCol;
    private final StringArrayParam outputCols;
    private final Param<String> tta;
    private final IntParam batchSize;
    private final IntParam partitions;

    /** A model with default params (the {@code slices} table's columns, {@code p_<label>} outputs, identity+hflip). */
    public HemorrhageModel(ScoringModel scoring) {
        this(Identifiable$.MODULE$.randomUID("ich-hemorrhage"), scoring);
    }

    HemorrhageModel(String uid, ScoringModel scoring) {
        this.uid = uid;
        this.scoring = scoring;
        tensorCol = new Param<>(uid, "tensorCol", "binary column of the slice's windowed planes (the slices table's tensor)");
        channelsCol = new Param<>(uid, "channelsCol", "int column: planes in the tensor");
        sizeCol = new Param<>(uid, "sizeCol", "int column: plane side in pixels (resized to the model's size)");
        seriesCol = new Param<>(uid, "seriesCol", "string column grouping slices into series (2.5D models only)");
        sliceIndexCol = new Param<>(uid, "sliceIndexCol", "int column: position in the series by z (2.5D models only)");
        outputCols = new StringArrayParam(this, "outputCols", "probability columns added, one per label of the model");
        tta = new Param<>(uid, "tta", "test-time views averaged, '+'-separated: identity, hflip",
                new TtaValidator());
        batchSize = new IntParam(this, "batchSize", "slices per network call (> 0)", ParamValidators.gt(0));
        partitions = new IntParam(this, "partitions",
                "tasks the slices are scored in: 0 = as they come but at least one per executor core", ParamValidators.gtEq(0));
        List<String> outputs = new ArrayList<>();
        for (String label : scoring.labels()) outputs.add("p_" + label);
        setDefault(tensorCol, "tensor");
        setDefault(channelsCol, "tensor_channels");
        setDefault(sizeCol, "tensor_size");
        setDefault(seriesCol, "series_key");
        setDefault(sliceIndexCol, "slice_index");
        setDefault(outputCols, outputs.toArray(String[]::new));
        setDefault(tta, "identity+hflip");
        setDefault(batchSize, 32);
        setDefault(partitions, 0);
    }

    /** Reads a registry version folder (its manifest and model.zip) or a folder {@link #save} wrote. */
    public static HemorrhageModel load(String path) {
        return read().load(path);
    }

    public static MLReader<HemorrhageModel> read() {
        return new MLReader<>() {
            @Override
            public HemorrhageModel load(String path) {
                return ModelFolder.read(sparkSession(), path);
            }
        };
    }

    @Override
    public MLWriter write() {
        HemorrhageModel self = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                ModelFolder.write(sparkSession(), self, path);
            }
        };
    }

    @Override
    public String uid() { return uid; }

    /** The registry version the weights come from. */
    public String version() { return scoring.version(); }

    /** What the executors receive: the network and its input shape. */
    public ScoringModel scoringModel() { return scoring; }

    public Param<String> tensorCol() { return tensorCol; }

    public Param<String> channelsCol() { return channelsCol; }

    public Param<String> sizeCol() { return sizeCol; }

    public Param<String> seriesCol() { return seriesCol; }

    public Param<String> sliceIndexCol() { return sliceIndexCol; }

    public StringArrayParam outputCols() { return outputCols; }

    public Param<String> tta() { return tta; }

    public IntParam batchSize() { return batchSize; }

    public IntParam partitions() { return partitions; }

    public HemorrhageModel setTensorCol(String v) { return (HemorrhageModel) set(tensorCol, v); }

    public HemorrhageModel setChannelsCol(String v) { return (HemorrhageModel) set(channelsCol, v); }

    public HemorrhageModel setSizeCol(String v) { return (HemorrhageModel) set(sizeCol, v); }

    public HemorrhageModel setSeriesCol(String v) { return (HemorrhageModel) set(seriesCol, v); }

    public HemorrhageModel setSliceIndexCol(String v) { return (HemorrhageModel) set(sliceIndexCol, v); }

    public HemorrhageModel setOutputCols(String[] v) { return (HemorrhageModel) set(outputCols, v); }

    public HemorrhageModel setTta(String v) { return (HemorrhageModel) set(tta, v); }

    public HemorrhageModel setTta(List<Tta> views) { return setTta(Tta.describe(views)); }

    public HemorrhageModel setBatchSize(int v) { return (HemorrhageModel) set(batchSize, v); }

    public HemorrhageModel setPartitions(int v) { return (HemorrhageModel) set(partitions, v); }

    /** Each scored slice adds one to {@code counter} (for progress lines); not saved with the model. */
    public HemorrhageModel setProgress(LongAccumulator counter) {
        this.progress = counter;
        return this;
    }

    public List<Tta> views() {
        return Tta.parseAll($(tta));
    }

    @Override
    public HemorrhageModel copy(ParamMap extra) {
        HemorrhageModel copy = copyValues(new HemorrhageModel(uid, scoring), extra).setProgress(progress);
        return copy.setParent(parent());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        require(schema, $(tensorCol), DataTypes.BinaryType);
        require(schema, $(channelsCol), DataTypes.IntegerType);
        require(schema, $(sizeCol), DataTypes.IntegerType);
        if (scoring.neighbours()) {
            require(schema, $(seriesCol), DataTypes.StringType);
            require(schema, $(sliceIndexCol), DataTypes.IntegerType);
        }
        String[] outputs = $(outputCols);
        if (outputs.length != scoring.outputs()) {
            throw new IllegalArgumentException("outputCols has " + outputs.length + " names but model " + version()
                    + " predicts " + scoring.outputs() + " labels " + scoring.labels());
        }
        StructType out = schema;
        for (int i = 0; i < outputs.length; i++) {
            if (Arrays.asList(out.fieldNames()).contains(outputs[i])) {
                throw new IllegalArgumentException("output column " + outputs[i] + " exists already; drop it or set "
                        + "outputCols to other names");
            }
            out = out.add(new StructField(outputs[i], DataTypes.DoubleType, true, Metadata.empty())
                    .withComment("probability of " + scoring.labels().get(i) + " (model " + version() + ")"));
        }
        return out;
    }

    private static void require(StructType schema, String column, DataType type) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("input column " + column + " is missing (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set the matching *Col param");
        }
        DataType actual = schema.apply(column).dataType();
        if (!actual.equals(type)) {
            throw new IllegalArgumentException("input column " + column + " is " + actual.simpleString() + ", expected "
                    + type.simpleString());
        }
    }

    /** Scores every row of {@code dataset}; a 2.5D model finds each slice's neighbours in the same DataFrame. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return transform(dataset, dataset);
    }

    /**
     * Scores every row of {@code slices}; a 2.5D model takes each slice's neighbours from {@code series} (which must
     * hold the whole series of every slice scored, with the same column names). A 2D model ignores {@code series}.
     */
    public Dataset<Row> transform(Dataset<?> slices, Dataset<?> series) {
        StructType outSchema = transformSchema(slices.schema(), true);
        Dataset<Row> in = slices.toDF();
        String input = $(tensorCol);
        int carried = in.schema().size();
        if (scoring.neighbours()) {
            input = freshName(in.schema(), "ich_stacked_tensor");
            in = withNeighbours(in, series.toDF(), input);
        }
        SparkSession spark = in.sparkSession();
        StructType prepared = in.schema();
        // One RDD of the inputs, counted and scored: planning the DataFrame twice would read the tensors twice.
        JavaRDD<Row> rows = in.toJavaRDD();
        int wanted = (Integer) $(partitions);
        // Each executor core should have a task: while one task's minibatch is in the network, another prepares its next.
        int target = wanted > 0 ? wanted : Math.max(rows.getNumPartitions(), spark.sparkContext().defaultParallelism());
        if (target != rows.getNumPartitions()) rows = rows.repartition(target);
        Broadcast<ScoringModel> network = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(scoring);
        PredictFunction.Columns columns = new PredictFunction.Columns(prepared.fieldIndex(input),
                prepared.fieldIndex($(channelsCol)), prepared.fieldIndex($(sizeCol)), carried,
                scoring.neighbours() ? 3 : 1);
        PredictFunction predict = new PredictFunction(network, views(), (Integer) $(batchSize), columns, progress);
        return spark.createDataFrame(rows.mapPartitions(predict), outSchema);
    }

    /** {@code rows} plus a column {@code stacked}: the tensors of the slice above, the slice, the slice below. */
    private Dataset<Row> withNeighbours(Dataset<Row> rows, Dataset<Row> series, String stacked) {
        Dataset<Row> s = rows.alias("s");
        Column tensor = col("s." + quoted($(tensorCol)));
        Dataset<Row> joined = s
                .join(neighbour(series, "above", -1), col("s." + quoted($(seriesCol))).equalTo(col("above.at_series"))
                        .and(col("s." + quoted($(sliceIndexCol))).equalTo(col("above.at_index"))), "left")
                .join(neighbour(series, "below", 1), col("s." + quoted($(seriesCol))).equalTo(col("below.at_series"))
                        .and(col("s." + quoted($(sliceIndexCol))).equalTo(col("below.at_index"))), "left");
        List<Column> out = new ArrayList<>();
        for (String name : rows.schema().fieldNames()) out.add(col("s." + quoted(name)).as(name));
        out.add(concat(coalesce(col("above.at_tensor"), tensor), tensor, coalesce(col("below.at_tensor"), tensor)).as(stacked));
        return joined.select(out.toArray(Column[]::new));
    }

    /** Each slice of {@code series} keyed as the neighbour at {@code offset} of the slice it joins to. */
    private Dataset<Row> neighbour(Dataset<Row> series, String alias, int offset) {
        return series.select(col(quoted($(seriesCol))).as("at_series"),
                col(quoted($(sliceIndexCol))).minus(lit(offset)).as("at_index"),
                col(quoted($(tensorCol))).as("at_tensor")).alias(alias);
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    private static String freshName(StructType schema, String base) {
        List<String> names = Arrays.asList(schema.fieldNames());
        String name = base;
        for (int i = 1; names.contains(name); i++) name = base + "_" + i;
        return name;
    }

    /** Checks a tta param value as it is set, so a typo fails at {@code setTta}, not on the executors. */
    private static final class TtaValidator extends scala.runtime.AbstractFunction1<String, Object>
            implements java.io.Serializable {
        @Override
        public Object apply(String value) {
            try {
                Tta.parseAll(value);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
