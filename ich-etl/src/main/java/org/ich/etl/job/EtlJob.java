package org.ich.etl.job;

import static org.apache.spark.sql.functions.*;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.ich.config.CommonConfig;
import org.ich.dicom.QuarantineReason;
import org.ich.etl.EtlConfig;
import org.ich.spark.HadoopConf;
import org.ich.spark.Phases;
import org.ich.spark.Progress;
import org.ich.spark.RunCheckpoints;

/**
 * DICOM files under a URI -> the {@code slices} and {@code quarantine} Iceberg tables, incrementally.
 *
 * <p>Each file ends in exactly one table. Files already recorded (same URI and size) are skipped, so a rerun adds
 * nothing; each table changes in one atomic commit, slices first, so a run killed at any point is finished by the
 * next one.
 */
public final class EtlJob {
    private final SparkSession spark;
    private final EtlConfig cfg;
    private final CommonConfig common;
    private final RunCheckpoints checkpoints;
    private final PrintStream out;
    private final Phases phases;
    /** This run's label CSV, read and checked once at its start (null without one). */
    private LabelTable.Labels labels;

    public EtlJob(SparkSession spark, EtlConfig cfg) {
        this(spark, cfg, System.out);
    }

    /** @param out where progress and phase times go */
    public EtlJob(SparkSession spark, EtlConfig cfg, PrintStream out) {
        this.spark = spark;
        this.cfg = cfg;
        this.common = cfg.common();
        this.out = out;
        this.checkpoints = new RunCheckpoints(spark, common.warehouse(), "etl");
        this.phases = new Phases(spark, "etl", out);
    }

    public EtlSummary run() {
        return run(DicomListing.list(spark, cfg.input(), cfg.privacy().pseudonyms()));
    }

    /** @param listing ich.etl.input as {@link DicomListing#list} lists it, for a caller that needs the listing too */
    public EtlSummary run(Dataset<Row> listing) {
        long t0 = System.nanoTime();
        labels = readLabels();
        Timestamp runStart = new Timestamp(System.currentTimeMillis());
        EtlTables.ensure(spark, common, cfg.pixels(), cfg.privacy());
        String crosswalk = CrosswalkTable.ensure(spark, cfg.privacy());
        Dataset<Row> slicesAtStart = PinnedTable.read(spark, common.table(SliceTable.NAME));
        Dataset<Row> quarantineAtStart = PinnedTable.read(spark, common.table(QuarantineTable.NAME));

        Dataset<Row> listed = listing.persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> pending = listed.join(knownFiles(slicesAtStart, quarantineAtStart), listed.col("file_key").equalTo(col("known_key"))
                .and(listed.col("length").equalTo(col("known_size"))), "left_anti").persist(StorageLevel.MEMORY_AND_DISK());
        long listedCount = phases.time("list", listed::count), pendingCount = pending.count();
        out.printf("etl: %d files under %s, %d not yet in %s or %s%n", listedCount, cfg.input(), pendingCount,
                SliceTable.NAME, QuarantineTable.NAME);

        Map<String, Long> byReason = new TreeMap<>();
        long newSlices = 0, newQuarantined = 0;
        double decodeSeconds = 0;
        if (pendingCount > 0) {
            long decodeStart = System.nanoTime();
            JavaRDD<Row> outcomes = phases.described("decode", () -> decode(pending, pendingCount, runStart));
            decodeSeconds = (System.nanoTime() - decodeStart) / 1e9;
            Dataset<Row> decoded = spark.createDataFrame(outcomes.filter(Outcomes::isSlice).map(Outcomes::sliceRow), SliceTable.SCHEMA);
            Dataset<Row> failed = spark.createDataFrame(outcomes.filter(r -> !Outcomes.isSlice(r)).map(Outcomes::quarantineRow),
                    QuarantineTable.SCHEMA);
            Dataset<Row> originals = spark.createDataFrame(outcomes.map(Outcomes::crosswalkRow), CrosswalkTable.SCHEMA);

            // Decisions (which file is new, its index in the series, its labels) are made on narrow rows and saved
            // to reliable storage: cheap to shuffle, and immune to Spark recomputing them after this run's own commit.
            Dataset<Row> narrow = decoded.select(SliceTable.KEY, "series_key", "z_position", "instance_number", "file_key",
                    "file_size", "content_hash");
            Dataset<Row> decisions = phases.time("dedupe, index and labels", () -> checkpoints.save(
                    withLabels(withSliceIndex(notYetIngested(firstPerInstance(narrow), slicesAtStart)))
                            .select(plus(List.of(col("file_key"), col("slice_index")), labelColumns()).toArray(Column[]::new))));
            Dataset<Row> fresh = decoded.drop(plus(List.of("slice_index"), SliceTable.labelColumns()).toArray(String[]::new))
                    .join(decisions, "file_key").select(sliceColumns());
            Dataset<Row> duplicates = narrow.join(decisions, narrow.col("file_key").equalTo(decisions.col("file_key")), "left_anti");
            Dataset<Row> quarantined = failed.unionByName(asDuplicates(duplicates, runStart)).persist(StorageLevel.MEMORY_AND_DISK());

            newSlices = decisions.count();
            // The crosswalk first: a run killed after it reads the same files again, and its MERGE replaces their rows.
            phases.run("commit crosswalk", () -> mergeCrosswalk(originals, crosswalk));
            phases.run("commit slices", () -> mergeSlices(fresh, slicesAtStart));
            phases.run("commit quarantine", () -> mergeQuarantine(quarantined, decisions.select("file_key")));
            for (Row r : quarantined.groupBy("reason").count().collectAsList()) byReason.put(r.getString(0), r.getLong(1));
            newQuarantined = quarantined.count();
            quarantined.unpersist();
            outcomes.unpersist();
        }
        phases.run("series index check", () -> SeriesIndex.repair(spark, common.table(SliceTable.NAME)));
        if (cfg.labels() != null) phases.run("label refresh check", this::refreshLabels);
        if (labels != null) labels.release();
        listed.unpersist();
        pending.unpersist();
        checkpoints.drop(out);
        long slicesTotal = spark.table(common.table(SliceTable.NAME)).count();
        long quarantineTotal = spark.table(common.table(QuarantineTable.NAME)).count();
        return new EtlSummary(listedCount, listedCount - pendingCount, newSlices, newQuarantined, byReason, slicesTotal,
                quarantineTotal, decodeSeconds, (System.nanoTime() - t0) / 1e9);
    }

    /** Files the tables already account for, by key (of the URI) and size (a file rewritten in place is read again). */
    private static Dataset<Row> knownFiles(Dataset<Row> slices, Dataset<Row> quarantine) {
        Dataset<Row> s = slices.select(col("file_key").alias("known_key"), col("file_size").alias("known_size"));
        Dataset<Row> q = quarantine.select(col("file_key").alias("known_key"), col("file_size").alias("known_size"));
        return s.unionByName(q);
    }

    private JavaRDD<Row> decode(Dataset<Row> pending, long count, Timestamp runStart) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = cfg.partitions() > 0 ? cfg.partitions() : Math.max(1, jsc.defaultParallelism() * 4);
        partitions = (int) Math.max(1, Math.min(partitions, count));
        LongAccumulator done = jsc.sc().longAccumulator("etl.files");
        HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        JavaRDD<Row> outcomes = pending.select("path", "length").repartition(partitions).javaRDD()
                .mapPartitions(new FileDecodeFunction(cfg.pixels(), cfg.privacy().pseudonyms(), cfg.split(), hadoop, runStart, done))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try (Progress ignored = new Progress("etl decode", count, done, out, Duration.ofSeconds(10))) {
            outcomes.count();
        }
        return outcomes;
    }

    /** Two files with one SOPInstanceUID in the same run: the first by file key wins, the other is a duplicate. */
    private static Dataset<Row> firstPerInstance(Dataset<Row> decoded) {
        return decoded.withColumn("dup_rank", row_number().over(Window.partitionBy(SliceTable.KEY).orderBy("file_key")))
                .filter(col("dup_rank").equalTo(1)).drop("dup_rank");
    }

    /**
     * Drops instances or identical contents that the table already holds from another file (the same slice copied
     * elsewhere). A file rewritten in place keeps its row and is updated by the merge.
     */
    private static Dataset<Row> notYetIngested(Dataset<Row> unique, Dataset<Row> existing) {
        Dataset<Row> known = existing.select(col(SliceTable.KEY).alias("e_slice"), col("content_hash").alias("e_hash"),
                col("file_key").alias("e_file"));
        return unique
                .join(known, col(SliceTable.KEY).equalTo(col("e_slice")).and(col("file_key").notEqual(col("e_file"))), "left_anti")
                .join(known, col("content_hash").equalTo(col("e_hash")).and(col("file_key").notEqual(col("e_file"))), "left_anti");
    }

    /** Index within the run's part of each series; {@link SeriesIndex#repair} renumbers series that grew across runs. */
    private static Dataset<Row> withSliceIndex(Dataset<Row> rows) {
        Column order = row_number().over(Window.partitionBy("series_key")
                .orderBy(col("z_position").asc_nulls_last(), col("instance_number").asc_nulls_last(), col(SliceTable.KEY)));
        return rows.withColumn("slice_index", order.minus(1).cast("int"));
    }

    private Dataset<Row> withLabels(Dataset<Row> rows) {
        if (cfg.labels() == null) {
            for (String c : SliceTable.labelColumns()) rows = rows.withColumn(c, lit(null).cast("int"));
            return rows;
        }
        return rows.drop(SliceTable.labelColumns().toArray(String[]::new)).join(labels.bySlice(), SliceTable.KEY, "left");
    }

    /** Before any other work, so a broken label CSV stops the run before it decodes or commits anything. */
    private LabelTable.Labels readLabels() {
        if (cfg.labels() == null) return null;
        return phases.time("read labels", () -> LabelTable.read(spark, cfg.labels(), cfg.privacy().pseudonyms()))
                .check(cfg.labels(), cfg.labelsMaxBadShare(), out);
    }

    /** {@code a} followed by {@code b}. */
    private static <T> List<T> plus(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Column> labelColumns() {
        return SliceTable.labelColumns().stream().map(c -> col(c)).toList();
    }

    private static Column[] sliceColumns() {
        return Arrays.stream(SliceTable.SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    }

    private static Dataset<Row> asDuplicates(Dataset<Row> duplicates, Timestamp runStart) {
        return duplicates.select(col("file_key"), col("file_size"), col("content_hash"),
                lit(QuarantineReason.DUPLICATE.name()).alias("reason"),
                concat(lit("file "), col("file_key"), lit(": its slice (slice_key "), col(SliceTable.KEY),
                        lit(") or identical content is already in the slices table")).alias("message"),
                lit(runStart).alias("first_seen"));
    }

    /** One row per file, replaced when the file is read again (rewritten in place, retried). */
    private void mergeCrosswalk(Dataset<Row> originals, String crosswalk) {
        originals.createOrReplaceTempView("ich_etl_crosswalk");
        spark.sql("MERGE INTO " + crosswalk + " t USING ich_etl_crosswalk s ON t.file_key = s.file_key"
                + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    }

    /**
     * New instances are appended (an insert-only MERGE reads just the target's keys); only files rewritten in place,
     * which are rare, go through a row-level update that has to rewrite whole rows, tensors included.
     */
    private void mergeSlices(Dataset<Row> fresh, Dataset<Row> slicesAtStart) {
        String table = common.table(SliceTable.NAME);
        fresh.createOrReplaceTempView("ich_etl_new_slices");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_new_slices s"
                + " ON t.slice_key = s.slice_key WHEN NOT MATCHED THEN INSERT *");
        Dataset<Row> rewritten = fresh.join(slicesAtStart.select(col(SliceTable.KEY).alias("e_slice"), col("file_key").alias("e_file")),
                col(SliceTable.KEY).equalTo(col("e_slice")).and(col("file_key").equalTo(col("e_file"))), "left_semi");
        if (rewritten.isEmpty()) return;
        rewritten.createOrReplaceTempView("ich_etl_rewritten_slices");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_rewritten_slices s"
                + " ON t.slice_key = s.slice_key AND t.file_key = s.file_key WHEN MATCHED THEN UPDATE SET *");
    }

    /**
     * Adds this run's quarantined files and removes quarantine rows for files that now decoded (a fixed file
     * re-uploaded under the same URI), so each file stays in exactly one table.
     */
    private void mergeQuarantine(Dataset<Row> quarantined, Dataset<Row> freshFiles) {
        Dataset<Row> source = quarantined.unionByName(freshFiles.select(col("file_key"), lit(null).cast("long").alias("file_size"),
                lit(null).cast("string").alias("content_hash"), lit(null).cast("string").alias("reason"),
                lit(null).cast("string").alias("message"), lit(null).cast("timestamp").alias("first_seen")));
        source.createOrReplaceTempView("ich_etl_quarantine_changes");
        spark.sql("MERGE INTO " + common.table(QuarantineTable.NAME) + " t USING ich_etl_quarantine_changes s"
                + " ON t.file_key = s.file_key"
                + " WHEN MATCHED AND s.reason IS NULL THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET t.file_size = s.file_size, t.content_hash = s.content_hash,"
                + " t.reason = s.reason, t.message = s.message"
                + " WHEN NOT MATCHED AND s.reason IS NOT NULL THEN INSERT *");
    }

    /**
     * Labels given on a later run (or corrected) reach slices ingested earlier. The differing rows are found on the
     * label columns alone; the row-level update, which rewrites whole rows, runs only when there are some.
     */
    private void refreshLabels() {
        String table = common.table(SliceTable.NAME);
        labels.bySlice().createOrReplaceTempView("ich_etl_labels");
        StringBuilder differs = new StringBuilder(), set = new StringBuilder(), cols = new StringBuilder();
        for (String c : SliceTable.labelColumns()) {
            differs.append(differs.length() == 0 ? "" : " OR ").append("NOT (t.").append(c).append(" <=> l.").append(c).append(")");
            set.append(set.length() == 0 ? "" : ", ").append("t.").append(c).append(" = l.").append(c);
            cols.append(", l.").append(c);
        }
        Dataset<Row> changed = spark.sql("SELECT t.slice_key" + cols + " FROM " + table + " t JOIN ich_etl_labels l"
                + " ON t.slice_key = l.slice_key WHERE " + differs);
        if (changed.isEmpty()) return;
        changed.persist(StorageLevel.MEMORY_AND_DISK()).createOrReplaceTempView("ich_etl_changed_labels");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_changed_labels l ON t.slice_key = l.slice_key"
                + " WHEN MATCHED THEN UPDATE SET " + set);
        changed.unpersist();
    }
}
