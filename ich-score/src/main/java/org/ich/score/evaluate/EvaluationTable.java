package org.ich.score.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.config.CommonConfig;
import org.ich.etl.job.EtlTables;
import org.ich.train.evaluation.Calibration;
import org.ich.train.evaluation.Confusion;
import org.ich.train.evaluation.EvaluationRow;
import org.ich.train.evaluation.Interval;
import org.ich.train.evaluation.OperatingPoint;
import org.ich.train.evaluation.PointResult;
import scala.collection.JavaConverters;

/**
 * The {@code evaluations} table: one row per model version x split x level (slice, study) x label x stratum, with
 * counts, AUC and its patient-bootstrap interval, log losses, calibration and the operating points' confusion figures.
 * Partitioned by version and split; an evaluation replaces its partition, so a rerun leaves one set of rows.
 */
public final class EvaluationTable {
    public static final String NAME = "evaluations";

    private static final StructType BIN = new StructType(new StructField[] {
        column("lower", DataTypes.DoubleType, "bin's lower edge"),
        column("upper", DataTypes.DoubleType, "bin's upper edge"),
        column("count", DataTypes.LongType, "predictions in the bin"),
        column("mean_predicted", DataTypes.DoubleType, "mean predicted probability"),
        column("observed", DataTypes.DoubleType, "share of positives")});
    private static final StructType POINT;
    public static final StructType SCHEMA;

    static {
        List<StructField> p = new ArrayList<>(List.of(
                column("name", DataTypes.StringType, "operating point, e.g. sens95"),
                column("target_sensitivity", DataTypes.DoubleType, "sensitivity it was chosen for on the valid split"),
                column("threshold", DataTypes.DoubleType, "flag when the study's p(any) is at least this"),
                column("tp", DataTypes.LongType, "flagged positives"),
                column("fp", DataTypes.LongType, "flagged negatives"),
                column("tn", DataTypes.LongType, "unflagged negatives"),
                column("fn", DataTypes.LongType, "unflagged positives")));
        for (String figure : List.of("sensitivity", "specificity", "ppv", "npv")) {
            p.add(column(figure, DataTypes.DoubleType, figure + " (NaN when its denominator is 0)"));
            p.add(column(figure + "_low", DataTypes.DoubleType, "Wilson 95% interval, lower end"));
            p.add(column(figure + "_high", DataTypes.DoubleType, "Wilson 95% interval, upper end"));
        }
        POINT = new StructType(p.toArray(StructField[]::new));
        SCHEMA = new StructType(new StructField[] {
            column("model_version", DataTypes.StringType, "registry version evaluated"),
            column("split", DataTypes.StringType, "valid or test"),
            column("level", DataTypes.StringType, "slice, or study (a study's highest slice probability and any label)"),
            column("label", DataTypes.StringType, "RSNA label"),
            column("stratum_kind", DataTypes.StringType, "all, manufacturer, slice_thickness, kvp, pixel_encoding or matrix"),
            column("stratum_value", DataTypes.StringType, "the stratum's value from the slices' headers (unknown when absent)"),
            column("count", DataTypes.LongType, "slices or studies"),
            column("positives", DataTypes.LongType, "of which positive for the label"),
            column("patients", DataTypes.LongType, "distinct patients"),
            column("auc", DataTypes.DoubleType, "ROC AUC (NaN with one class)"),
            column("auc_low", DataTypes.DoubleType, "95% interval of the AUC, bootstrap over patients, lower end"),
            column("auc_high", DataTypes.DoubleType, "upper end"),
            column("log_loss", DataTypes.DoubleType, "mean binary log loss of the label"),
            column("weighted_log_loss", DataTypes.DoubleType, "RSNA weighted log loss over the six labels (2 on any) of the"
                    + " stratum's slices or studies"),
            column("ece", DataTypes.DoubleType, "expected calibration error over equal-width bins"),
            column("reliability", DataTypes.createArrayType(BIN, false), "reliability curve: the non-empty bins"),
            column("operating_points", DataTypes.createArrayType(POINT, false), "the version's operating points applied"
                    + " (study level, label any; empty elsewhere)"),
            column("bootstrap_replicates", DataTypes.IntegerType, "replicates behind the AUC interval"),
            column("seed", DataTypes.LongType, "the bootstrap's seed"),
            column("slices_snapshot_id", DataTypes.LongType, "Iceberg snapshot of slices the labels came from"),
            column("evaluated_at", DataTypes.TimestampType, "when the evaluation ran (UTC)")});
    }

    private EvaluationTable() {
    }

    private static StructField column(String name, DataType type, String comment) {
        return EtlTables.column(name, type, true, comment);
    }

    /** Replaces the rows of {@code version} x {@code split} with {@code rows}. */
    static void replace(SparkSession spark, CommonConfig common, String version, String split, List<EvaluationRow> rows,
                        int replicates, long seed, long snapshot, Timestamp at) {
        String table = common.table(NAME);
        EtlTables.createOrEvolve(spark, table, SCHEMA, "model_version, split", Map.of("format-version", "2"));
        List<Row> out = new ArrayList<>(rows.size());
        for (EvaluationRow r : rows) {
            List<Row> bins = new ArrayList<>();
            for (Calibration.Bin b : r.reliability()) {
                bins.add(RowFactory.create(b.lower(), b.upper(), b.count(), b.meanPredicted(), b.observed()));
            }
            List<Row> points = new ArrayList<>();
            for (PointResult p : r.points()) points.add(point(p));
            out.add(RowFactory.create(version, split, r.level(), r.label(), r.stratumKind(), r.stratumValue(), r.count(),
                    r.positives(), r.patients(), r.auc(), r.aucCi().low(), r.aucCi().high(), r.logLoss(),
                    r.weightedLogLoss(), r.ece(), seq(bins), seq(points), replicates, seed, snapshot, at));
        }
        Dataset<Row> frame = spark.createDataFrame(out, SCHEMA);
        try {
            // Dynamic overwrite: only this version x split partition is replaced.
            frame.writeTo(table).overwritePartitions();
        } catch (NoSuchTableException e) {
            throw new IllegalStateException("table " + table + " vanished while being written", e);
        }
    }

    /**
     * The rows of {@code version} x {@code split} as {@link #replace} wrote them (the confusion intervals recomputed
     * from the counts, as they were); empty when the table or the partition does not exist.
     */
    public static List<EvaluationRow> read(SparkSession spark, CommonConfig common, String version, String split) {
        String table = common.table(NAME);
        if (!spark.catalog().tableExists(table)) return List.of();
        List<Row> rows = spark.table(table).where(col("model_version").equalTo(lit(version)).and(col("split").equalTo(lit(split))))
                .orderBy("level", "label", "stratum_kind", "stratum_value").collectAsList();
        List<EvaluationRow> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<Calibration.Bin> bins = new ArrayList<>();
            for (Row b : r.<Row>getList(r.fieldIndex("reliability"))) {
                bins.add(new Calibration.Bin(b.getDouble(0), b.getDouble(1), b.getLong(2), b.getDouble(3), b.getDouble(4)));
            }
            List<PointResult> points = new ArrayList<>();
            for (Row p : r.<Row>getList(r.fieldIndex("operating_points"))) {
                points.add(new PointResult(new OperatingPoint(p.getString(0), p.getDouble(1), p.getDouble(2)),
                        new Confusion(p.getLong(3), p.getLong(4), p.getLong(5), p.getLong(6))));
            }
            out.add(new EvaluationRow(r.getAs("level"), r.getAs("label"), r.getAs("stratum_kind"), r.getAs("stratum_value"),
                    r.<Long>getAs("count"), r.<Long>getAs("positives"), r.<Long>getAs("patients"), r.<Double>getAs("auc"),
                    new Interval(r.<Double>getAs("auc_low"), r.<Double>getAs("auc_high")), r.<Double>getAs("log_loss"),
                    r.<Double>getAs("weighted_log_loss"), r.<Double>getAs("ece"), bins, points));
        }
        return out;
    }

    private static Row point(PointResult p) {
        Confusion c = p.confusion();
        List<Object> v = new ArrayList<>(List.of(p.point().name(), p.point().targetSensitivity(), p.point().threshold(),
                c.tp(), c.fp(), c.tn(), c.fn()));
        add(v, c.sensitivity(), c.sensitivityCi());
        add(v, c.specificity(), c.specificityCi());
        add(v, c.ppv(), c.ppvCi());
        add(v, c.npv(), c.npvCi());
        return RowFactory.create(v.toArray());
    }

    private static void add(List<Object> values, double value, Interval ci) {
        values.add(value);
        values.add(ci.low());
        values.add(ci.high());
    }

    /** Spark's row encoder takes Scala sequences for array columns. */
    private static scala.collection.Seq<Row> seq(List<Row> rows) {
        return JavaConverters.asScalaBuffer(rows);
    }
}
