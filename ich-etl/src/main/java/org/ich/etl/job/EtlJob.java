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
        return run(DicomListing.list(spark, cfg.input()));
    }

    /** @param listing ich.etl.input as {@link DicomListing#list} lists it, for a caller that needs the listing too */
    public EtlSummary run(Dataset<Row> listing) {
        long t0 = System.nanoTime();
        Timestamp runStart = new Timestamp(System.currentTimeMillis());
        EtlTables.ensure(spark, common, cfg.pixels());
        Dataset<Row> slicesAtStart = PinnedTable.read(spark, common.table(SliceTable.NAME));
        Dataset<Row> quarantineAtStart = PinnedTable.read(spark, common.table(QuarantineTable.NAME));

        Dataset<Row> listed = listing.persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> pending = listed.join(knownFiles(slicesAtStart, quarantineAtStart), listed.col("path").equalTo(col("known_uri"))
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

            // Decisions (which file is new, its index in the series, its labels) are made on narrow rows and saved
            // to reliable storage: cheap to shuffle, and immune to Spark recomputing them after this run's own commit.
            Dataset<Row> narrow = decoded.select("sop_instance_uid", "series_key", "z_position", "instance_number", "source_uri",
                    "file_size", "content_hash");
            Dataset<Row> decisions = phases.time("dedupe, index and labels", () -> checkpoints.save(
                    withLabels(withSliceIndex(notYetIngested(firstPerInstance(narrow), slicesAtStart)))
                            .select(plus(List.of(col("source_uri"), col("slice_index")), labelColumns()).toArray(Column[]::new))));
            Dataset<Row> fresh = decoded.drop(plus(List.of("slice_index"), SliceTable.labelColumns()).toArray(String[]::new))
                    .join(decisions, "source_uri").select(sliceColumns());
            Dataset<Row> duplicates = narrow.join(decisions, narrow.col("source_uri").equalTo(decisions.col("source_uri")), "left_anti");
            Dataset<Row> quarantined = failed.unionByName(asDuplicates(duplicates, runStart)).persist(StorageLevel.MEMORY_AND_DISK());

            newSlices = decisions.count();
            phases.run("commit slices", () -> mergeSlices(fresh, slicesAtStart));
            phases.run("commit quarantine", () -> mergeQuarantine(quarantined, decisions.select("source_uri")));
            for (Row r : quarantined.groupBy("reason").count().collectAsList()) byReason.put(r.getString(0), r.getLong(1));
            newQuarantined = quarantined.count();
            quarantined.unpersist();
            outcomes.unpersist();
        }
        phases.run("series index check", () -> SeriesIndex.repair(spark, common.table(SliceTable.NAME)));
        if (cfg.labels() != null) phases.run("label refresh check", this::refreshLabels);
        listed.unpersist();
        pending.unpersist();
        checkpoints.drop(out);
        long slicesTotal = spark.table(common.table(SliceTable.NAME)).count();
        long quarantineTotal = spark.table(common.table(QuarantineTable.NAME)).count();
        return new EtlSummary(listedCount, listedCount - pendingCount, newSlices, newQuarantined, byReason, slicesTotal,
                quarantineTotal, decodeSeconds, (System.nanoTime() - t0) / 1e9);
    }

    /** Files the tables already account for, by URI and size (a file rewritten in place is read again). */
    private static Dataset<Row> knownFiles(Dataset<Row> slices, Dataset<Row> quarantine) {
        Dataset<Row> s = slices.select(col("source_uri").alias("known_uri"), col("file_size").alias("known_size"));
        Dataset<Row> q = quarantine.select(col("source_uri").alias("known_uri"), col("file_size").alias("known_size"));
        return s.unionByName(q);
    }

    private JavaRDD<Row> decode(Dataset<Row> pending, long count, Timestamp runStart) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = cfg.partitions() > 0 ? cfg.partitions() : Math.max(1, jsc.defaultParallelism() * 4);
        partitions = (int) Math.max(1, Math.min(partitions, count));
        LongAccumulator done = jsc.sc().longAccumulator("etl.files");
        HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        JavaRDD<Row> outcomes = pending.select("path", "length").repartition(partitions).javaRDD()
                .mapPartitions(new FileDecodeFunction(cfg.pixels(), cfg.pseudonymKey(), cfg.split(), hadoop, runStart, done))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try (Progress ignored = new Progress("etl decode", count, done, out, Duration.ofSeconds(10))) {
            outcomes.count();
        }
        return outcomes;
    }

    /** Two files with one SOPInstanceUID in the same run: the first by URI wins, the other is a duplicate. */
    private static Dataset<Row> firstPerInstance(Dataset<Row> decoded) {
        return decoded.withColumn("dup_rank", row_number().over(Window.partitionBy("sop_instance_uid").orderBy("source_uri")))
                .filter(col("dup_rank").equalTo(1)).drop("dup_rank");
    }

    /**
     * Drops instances or identical contents that the table already holds from another file (the same slice copied
     * elsewhere). A file rewritten in place keeps its row and is updated by the merge.
     */
    private static Dataset<Row> notYetIngested(Dataset<Row> unique, Dataset<Row> existing) {
        Dataset<Row> known = existing.select(col("sop_instance_uid").alias("e_sop"), col("content_hash").alias("e_hash"),
                col("source_uri").alias("e_uri"));
        return unique
                .join(known, col("sop_instance_uid").equalTo(col("e_sop")).and(col("source_uri").notEqual(col("e_uri"))), "left_anti")
                .join(known, col("content_hash").equalTo(col("e_hash")).and(col("source_uri").notEqual(col("e_uri"))), "left_anti");
    }

    /** Index within the run's part of each series; {@link SeriesIndex#repair} renumbers series that grew across runs. */
    private static Dataset<Row> withSliceIndex(Dataset<Row> rows) {
        Column order = row_number().over(Window.partitionBy("series_key")
                .orderBy(col("z_position").asc_nulls_last(), col("instance_number").asc_nulls_last(), col("sop_instance_uid")));
        return rows.withColumn("slice_index", order.minus(1).cast("int"));
    }

    private Dataset<Row> withLabels(Dataset<Row> rows) {
        if (cfg.labels() == null) {
            for (String c : SliceTable.labelColumns()) rows = rows.withColumn(c, lit(null).cast("int"));
            return rows;
        }
        Dataset<Row> labels = LabelTable.read(spark, cfg.labels());
        Dataset<Row> joined = rows.drop(SliceTable.labelColumns().toArray(String[]::new)).withColumn("sop_key",
                regexp_replace(col("sop_instance_uid"), "^ID_", ""));
        return joined.join(labels, "sop_key", "left").drop("sop_key");
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
        return duplicates.select(col("source_uri"), col("file_size"), col("content_hash"),
                lit(QuarantineReason.DUPLICATE.name()).alias("reason"),
                concat(col("source_uri"), lit(": SOPInstanceUID "), col("sop_instance_uid"),
                        lit(" or identical content is already in the slices table")).alias("message"),
                lit(runStart).alias("first_seen"));
    }

    /**
     * New instances are appended (an insert-only MERGE reads just the target's keys); only files rewritten in place,
     * which are rare, go through a row-level update that has to rewrite whole rows, tensors included.
     */
    private void mergeSlices(Dataset<Row> fresh, Dataset<Row> slicesAtStart) {
        String table = common.table(SliceTable.NAME);
        fresh.createOrReplaceTempView("ich_etl_new_slices");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_new_slices s"
                + " ON t.sop_instance_uid = s.sop_instance_uid WHEN NOT MATCHED THEN INSERT *");
        Dataset<Row> rewritten = fresh.join(slicesAtStart.select(col("sop_instance_uid").alias("e_sop"), col("source_uri").alias("e_uri")),
                col("sop_instance_uid").equalTo(col("e_sop")).and(col("source_uri").equalTo(col("e_uri"))), "left_semi");
        if (rewritten.isEmpty()) return;
        rewritten.createOrReplaceTempView("ich_etl_rewritten_slices");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_rewritten_slices s"
                + " ON t.sop_instance_uid = s.sop_instance_uid AND t.source_uri = s.source_uri WHEN MATCHED THEN UPDATE SET *");
    }

    /**
     * Adds this run's quarantined files and removes quarantine rows for files that now decoded (a fixed file
     * re-uploaded under the same URI), so each file stays in exactly one table.
     */
    private void mergeQuarantine(Dataset<Row> quarantined, Dataset<Row> freshUris) {
        Dataset<Row> source = quarantined.unionByName(freshUris.select(col("source_uri"), lit(null).cast("long").alias("file_size"),
                lit(null).cast("string").alias("content_hash"), lit(null).cast("string").alias("reason"),
                lit(null).cast("string").alias("message"), lit(null).cast("timestamp").alias("first_seen")));
        source.createOrReplaceTempView("ich_etl_quarantine_changes");
        spark.sql("MERGE INTO " + common.table(QuarantineTable.NAME) + " t USING ich_etl_quarantine_changes s"
                + " ON t.source_uri = s.source_uri"
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
        LabelTable.read(spark, cfg.labels()).createOrReplaceTempView("ich_etl_labels");
        StringBuilder differs = new StringBuilder(), set = new StringBuilder(), cols = new StringBuilder();
        for (String c : SliceTable.labelColumns()) {
            differs.append(differs.length() == 0 ? "" : " OR ").append("NOT (t.").append(c).append(" <=> l.").append(c).append(")");
            set.append(set.length() == 0 ? "" : ", ").append("t.").append(c).append(" = l.").append(c);
            cols.append(", l.").append(c);
        }
        Dataset<Row> changed = spark.sql("SELECT t.sop_instance_uid" + cols + " FROM " + table + " t JOIN ich_etl_labels l"
                + " ON regexp_replace(t.sop_instance_uid, '^ID_', '') = l.sop_key WHERE " + differs);
        if (changed.isEmpty()) return;
        changed.persist(StorageLevel.MEMORY_AND_DISK()).createOrReplaceTempView("ich_etl_changed_labels");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_changed_labels l ON t.sop_instance_uid = l.sop_instance_uid"
                + " WHEN MATCHED THEN UPDATE SET " + set);
        changed.unpersist();
    }
}
