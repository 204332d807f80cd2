package org.ich.etl.job;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ich.cli.UserError;
import org.ich.etl.LabelAudit;
import org.ich.etl.LabelLine;
import org.ich.etl.Pseudonyms;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * Reads an RSNA-format label CSV ({@code ID,Label} rows of {@code ID_<SOPInstanceUID>_<label>}) into one row per
 * instance: {@code slice_key} plus the six {@code label_*} columns. Duplicate rows collapse (max, so a 1 wins).
 *
 * <p>The file is read as text, not with Spark's CSV reader, so that every row keeps its line number: a bad row is
 * reported as "line 17: ..." and never by its ID, which names a patient's image. See {@link LabelLine}.
 */
final class LabelTable {
    private LabelTable() {}

    /** Parsed lines: the slice key (never the UID) and label of a good row, or the problem of a bad one. */
    private static final StructType LINES = new StructType()
            .add("line", DataTypes.LongType, false)
            .add(SliceTable.KEY, DataTypes.StringType, true)
            .add("label_name", DataTypes.StringType, true)
            .add("label_value", DataTypes.IntegerType, true)
            .add("problem", DataTypes.StringType, true);

    /**
     * A label CSV as read once per run.
     *
     * @param bySlice one row per labelled slice: {@code slice_key} + {@code label_*}, from the good rows; persisted
     *                until {@link #release}
     * @param audit   data rows, bad rows and the first bad lines
     */
    record Labels(Dataset<Row> bySlice, LabelAudit audit) {
        /** Data rows of the file (lines after the header, blank ones not counted). */
        long rows() { return audit.rows(); }

        /** Rows skipped because they do not parse, name an unknown label or hold a value other than 0/1. */
        long bad() { return audit.bad(); }

        /** The first {@link LabelAudit#SHOWN} bad lines, by line number. */
        List<LabelAudit.BadLine> firstBad() { return audit.firstBad(); }

        /**
         * Stops the run (UserError) when more than {@code maxBadShare} of the rows are bad, else warns on {@code out}
         * when there are any; see {@link LabelAudit#enforce}.
         */
        Labels check(URI csv, double maxBadShare, PrintStream out) {
            try {
                audit.enforce(csv.toString(), maxBadShare, out);
                return this;
            } catch (UserError e) {
                release();
                throw e;
            }
        }

        void release() {
            bySlice.unpersist();
        }
    }

    /**
     * Parses every line of {@code csv} once; the good rows keyed by slice through the ETL's own pseudonyms.
     *
     * @throws UserError when the file cannot be read, is a folder or empty, or its first line is not {@code ID,Label}
     */
    static Labels read(SparkSession spark, URI csv, Pseudonyms pseudonyms) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        requireFile(jsc, csv);
        // The RDD text reader, not the SQL one: its partitions follow the file's offsets, so zipWithIndex numbers the
        // lines as an editor does (the SQL file scan orders splits by size). Its counting pass reads, not parses.
        JavaRDD<String> text = jsc.textFile(csv.toString());
        List<String> first;
        try {
            first = text.take(1);
        } catch (Exception e) {
            throw new UserError("ich.etl.labels: cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (first.isEmpty()) throw new UserError("ich.etl.labels: " + csv + " is empty; expected the header " + LabelLine.HEADER);
        if (!LabelLine.isHeader(first.get(0))) {
            // Not quoted: a file without its header starts with a row, and so with an ID.
            throw new UserError("ich.etl.labels: line 1 of " + csv + " is not the header " + LabelLine.HEADER + " (RSNA format)");
        }
        JavaRDD<Row> parsed = text.zipWithIndex().flatMap(numbered -> parse(numbered._1(), numbered._2() + 1, pseudonyms));
        Dataset<Row> lines = spark.createDataFrame(parsed, LINES).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row counts = lines.agg(count(lit(1)), count(col("problem"))).first();
            List<LabelAudit.BadLine> firstBad = new ArrayList<>();
            for (Row r : lines.filter(col("problem").isNotNull()).orderBy("line").limit(LabelAudit.SHOWN).collectAsList()) {
                firstBad.add(new LabelAudit.BadLine(r.getLong(r.fieldIndex("line")), r.getString(r.fieldIndex("problem"))));
            }
            List<Column> aggs = new ArrayList<>();
            for (String l : SliceTable.LABELS) {
                aggs.add(max(when(col("label_name").equalTo(l), col("label_value"))).alias("label_" + l));
            }
            Dataset<Row> bySlice = lines.filter(col("problem").isNull()).groupBy(SliceTable.KEY)
                    .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            // Filled now, while the parsed lines are cached; the ETL joins it twice (new slices, label refresh).
            bySlice.count();
            return new Labels(bySlice, new LabelAudit(counts.getLong(0), counts.getLong(1), firstBad));
        } finally {
            lines.unpersist();
        }
    }

    /** Line numbers are the point: one file, not a folder whose files would be numbered as one. */
    private static void requireFile(JavaSparkContext jsc, URI csv) {
        Path path = new Path(csv);
        FileStatus status;
        try {
            status = path.getFileSystem(jsc.hadoopConfiguration()).getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new UserError("ich.etl.labels: " + csv + " does not exist");
        } catch (IOException e) {
            throw new UserError("ich.etl.labels: cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (status.isDirectory()) throw new UserError("ich.etl.labels: " + csv + " is a folder; give the label CSV file itself");
    }

    /** One line, numbered from 1 -> a row of {@link #LINES}, or none for the header and blank lines. */
    private static Iterator<Row> parse(String text, long line, Pseudonyms pseudonyms) {
        if (line == 1) return Collections.emptyIterator();
        LabelLine parsed = LabelLine.parse(text);
        if (parsed instanceof LabelLine.Label l) {
            return List.of(RowFactory.create(line, pseudonyms.slice(l.sopKey()), l.name(), l.value(), null)).iterator();
        }
        if (parsed instanceof LabelLine.Bad b) return List.of(RowFactory.create(line, null, null, null, b.problem())).iterator();
        return Collections.emptyIterator();
    }
}
