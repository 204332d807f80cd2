package org.ich.etl.job;

import static org.apache.spark.sql.functions.*;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
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
 * <p>Each file ends in exactly one of {@code slices}, {@code quarantine} or {@code waiting} (storage did not deliver
 * it; read again by every run). Files already recorded (same URI, size and modification time) are skipped, so a
 * rerun adds nothing; a file rewritten in place is read again and its old row replaced. Each table changes in one
 * atomic commit, the crosswalk first, so a run killed at any point is finished by the next one.
 */
public final class EtlJob {
    private final SparkSession spark;
    private final EtlConfig cfg;
    private final CommonConfig common;
    private final RunCheckpoints checkpoints;
    private final PrintStream out;
    private final Phases phases;
    private Set<QuarantineReason> retryReasons = Set.of();
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

    /**
     * Also reads again the quarantined files with these reasons (ich etl --retry-quarantined), e.g. after a codec was
     * added or a cap raised; those that decode now move to slices.
     */
    public EtlJob retryingQuarantined(Set<QuarantineReason> reasons) {
        this.retryReasons = Set.copyOf(reasons);
        return this;
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
        Dataset<Row> waitingAtStart = PinnedTable.read(spark, common.table(WaitingTable.NAME));

        Dataset<Row> listed = listing.persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> known = knownFiles(slicesAtStart, quarantineAtStart.filter(not(col("reason").isin(retryReasons.stream()
                .map(Enum::name).toArray()))));
        Dataset<Row> pending = listed.join(known, listed.col("file_key").equalTo(col("known_key"))
                        .and(listed.col("length").equalTo(col("known_size")))
                        // Rows from before ich recorded modification times are matched by size alone.
                        .and(col("known_modified").isNull().or(listed.col("modified").equalTo(col("known_modified")))), "left_anti")
                .persist(StorageLevel.MEMORY_AND_DISK());
        long listedCount = phases.time("list", listed::count), pendingCount = pending.count();
        out.printf("etl: %d files under %s, %d to read (new, changed, waiting for a retry%s)%n", listedCount, cfg.input(),
                pendingCount, retryReasons.isEmpty() ? "" : " or quarantined " + retryReasons);

        Ingested ingested = pendingCount > 0 ? ingest(pending, pendingCount, slicesAtStart, quarantineAtStart, crosswalk, runStart)
                : new Ingested(0, Map.of(), 0, spark.createDataFrame(List.of(), WaitingTable.SCHEMA), 0, null);
        long gone = waitingAtStart.join(listed, waitingAtStart.col("file_key").equalTo(listed.col("file_key")), "left_anti").count();
        phases.run("commit waiting", () -> mergeWaiting(ingested.waiting(), waitingAtStart));
        long newWaiting = ingested.waiting().count();
        if (ingested.outcomes() != null) ingested.outcomes().unpersist();
        phases.run("series index check", () -> SeriesIndex.repair(spark, common.table(SliceTable.NAME)));
        if (cfg.labels() != null) phases.run("label refresh check", this::refreshLabels);
        if (labels != null) labels.release();
        listed.unpersist();
        pending.unpersist();
        checkpoints.drop(out);
        long slicesTotal = spark.table(common.table(SliceTable.NAME)).count();
        long quarantineTotal = spark.table(common.table(QuarantineTable.NAME)).count();
        Dataset<Row> waiting = spark.table(common.table(WaitingTable.NAME));
        long waitingTotal = waiting.count();
        long stuck = waiting.filter(col("runs").geq(cfg.retry().alertAfterRuns())).count();
        return new EtlSummary(listedCount, listedCount - pendingCount, ingested.newSlices(), ingested.newQuarantined(),
                ingested.quarantinedByReason(), newWaiting, gone,
                slicesTotal, quarantineTotal, waitingTotal, stuck, cfg.retry().alertAfterRuns(), labels == null ? 0 : labels.rows(),
                labels == null ? 0 : labels.bad(), ingested.decodeSeconds(), (System.nanoTime() - t0) / 1e9);
    }

    /** What the run's reading of its files committed; {@code waiting} is still to be committed. */
    private record Ingested(long newSlices, Map<String, Long> quarantinedByReason, long newQuarantined, Dataset<Row> waiting,
                            double decodeSeconds, JavaRDD<Outcome> outcomes) {}

    /**
     * Reads and decodes the pending files once, then commits the crosswalk, slices and quarantine. Every table's rows
     * come from that one reading: the outcomes stay cached until the run ends, and the narrow sets the commits are
     * decided on are saved to reliable storage, because a second reading of the same file may differ (the store
     * delivered it the first time, not the second).
     */
    private Ingested ingest(Dataset<Row> pending, long pendingCount, Dataset<Row> slicesAtStart, Dataset<Row> quarantineAtStart,
                            String crosswalk, Timestamp runStart) {
        long decodeStart = System.nanoTime();
        JavaRDD<Outcome> outcomes = phases.described("decode", () -> decode(pending, pendingCount, runStart));
        double decodeSeconds = (System.nanoTime() - decodeStart) / 1e9;
        Dataset<Row> decoded = rows(outcomes, Outcome.Kind.SLICE, SliceTable.SCHEMA);
        Dataset<Row> originals = spark.createDataFrame(outcomes.map(Outcome::crosswalk), CrosswalkTable.SCHEMA);

        // Decisions (which file is new, its index in the series, its labels) are made on narrow rows and saved
        // to reliable storage: cheap to shuffle, and immune to Spark recomputing them after this run's own commit.
        Dataset<Row> narrow = decoded.select(SliceTable.KEY, "series_key", "z_position", "instance_number", "file_key",
                "file_size", "file_modified", "content_hash");
        Dataset<Row> decisions = phases.time("dedupe, index and labels", () -> checkpoints.save(
                withLabels(withSliceIndex(notYetIngested(firstPerInstance(narrow), slicesAtStart)))
                        .select(plus(List.of(col("file_key"), col(SliceTable.KEY), col("slice_index")), labelColumns())
                                .toArray(Column[]::new))));
        Dataset<Row> fresh = decoded.drop(plus(List.of(SliceTable.KEY, "slice_index"), SliceTable.labelColumns()).toArray(String[]::new))
                .join(decisions, "file_key").select(sliceColumns());
        Dataset<Row> duplicates = narrow.join(decisions, narrow.col("file_key").equalTo(decisions.col("file_key")), "left_anti");
        Dataset<Row> quarantined = checkpoints.save(rows(outcomes, Outcome.Kind.QUARANTINED, QuarantineTable.SCHEMA)
                .unionByName(asDuplicates(duplicates, runStart)));
        Dataset<Row> waiting = checkpoints.save(rows(outcomes, Outcome.Kind.WAITING, WaitingTable.SCHEMA));

        long newSlices = decisions.count();
        // The crosswalk first: a run killed after it reads the same files again, and its MERGE replaces their rows.
        phases.run("commit crosswalk", () -> mergeCrosswalk(originals, crosswalk));
        phases.run("commit slices", () -> mergeSlices(fresh, decisions, slicesAtStart, pending.select("file_key")));
        Dataset<Row> settled = decisions.select("file_key").unionByName(waiting.select("file_key"));
        phases.run("commit quarantine", () -> mergeQuarantine(quarantined, settled, quarantineAtStart));
        Map<String, Long> byReason = new TreeMap<>();
        for (Row r : quarantined.groupBy("reason").count().collectAsList()) byReason.put(r.getString(0), r.getLong(1));
        return new Ingested(newSlices, byReason, quarantined.count(), waiting.unionByName(unaccounted(pending, quarantined, waiting,
                runStart)), decodeSeconds, outcomes);
    }

    /**
     * Files this run read that no table holds after its commits. Only possible when Spark recomputed a lost share of
     * the cached outcomes and the store failed a file the second time: such a file waits, so the next run reads it.
     */
    private Dataset<Row> unaccounted(Dataset<Row> pending, Dataset<Row> quarantined, Dataset<Row> waiting, Timestamp runStart) {
        Dataset<Row> held = spark.table(common.table(SliceTable.NAME)).select("file_key")
                .unionByName(quarantined.select("file_key")).unionByName(waiting.select("file_key"));
        return pending.join(held, pending.col("file_key").equalTo(held.col("file_key")), "left_anti")
                .select(col("file_key"), col("length").alias("file_size"), col("modified").alias("file_modified"),
                        lit(0).alias("attempts"), lit(1).alias("runs"), lit("NotStored").alias("error_class"),
                        concat(lit("file "), col("file_key"), lit(": read, but a recomputed task read it differently and its row"
                                + " was not stored; the next run reads it again")).alias("message"),
                        lit(runStart).alias("first_failed"), lit(runStart).alias("last_failed"));
    }

    /**
     * Files the tables already account for, by key (of the URI), size and modification time: a file rewritten in
     * place is read again. Waiting files are never known: every run reads them again.
     */
    private static Dataset<Row> knownFiles(Dataset<Row> slices, Dataset<Row> quarantine) {
        Dataset<Row> s = slices.select(col("file_key").alias("known_key"), col("file_size").alias("known_size"),
                col("file_modified").alias("known_modified"));
        Dataset<Row> q = quarantine.select(col("file_key").alias("known_key"), col("file_size").alias("known_size"),
                col("file_modified").alias("known_modified"));
        return s.unionByName(q);
    }

    private Dataset<Row> rows(JavaRDD<Outcome> outcomes, Outcome.Kind kind, StructType schema) {
        return spark.createDataFrame(outcomes.filter(o -> o.is(kind)).map(Outcome::row), schema);
    }

    private JavaRDD<Outcome> decode(Dataset<Row> pending, long count, Timestamp runStart) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = cfg.partitions() > 0 ? cfg.partitions() : Math.max(1, jsc.defaultParallelism() * 4);
        partitions = (int) Math.max(1, Math.min(partitions, count));
        LongAccumulator done = jsc.sc().longAccumulator("etl.files");
        HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        JavaRDD<Outcome> outcomes = pending.select("path", "length", "modified", "file_key").repartition(partitions).javaRDD()
                .mapPartitions(new FileDecodeFunction(cfg.pixels(), cfg.privacy().pseudonyms(), cfg.split(), cfg.limits(), cfg.retry(),
                        TaskAttempts.of(spark.sparkContext()), hadoop, runStart, done))
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
                lit(runStart).alias("first_seen"), col("file_modified"));
    }

    /** One row per file, replaced when the file is read again (rewritten in place, retried). */
    private void mergeCrosswalk(Dataset<Row> originals, String crosswalk) {
        originals.createOrReplaceTempView("ich_etl_crosswalk");
        spark.sql("MERGE INTO " + crosswalk + " t USING ich_etl_crosswalk s ON t.file_key = s.file_key"
                + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
    }

    /**
     * New instances are appended (an insert-only MERGE reads just the target's keys); only files rewritten in place,
     * which are rare, go through row-level changes that rewrite whole rows, tensors included: an update when the file
     * still holds the same instance, a delete of its old row when it now holds another one, is a duplicate, is
     * quarantined or waits.
     *
     * @param decisions the run's new slices (file_key, slice_key, ...), saved before any commit
     * @param reread    every file this run read
     */
    private void mergeSlices(Dataset<Row> fresh, Dataset<Row> decisions, Dataset<Row> slicesAtStart, Dataset<Row> reread) {
        String table = common.table(SliceTable.NAME);
        fresh.createOrReplaceTempView("ich_etl_new_slices");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_new_slices s"
                + " ON t.slice_key = s.slice_key WHEN NOT MATCHED THEN INSERT *");
        Dataset<Row> before = slicesAtStart.select(col(SliceTable.KEY).alias("b_slice"), col("file_key").alias("b_file"))
                .join(reread, col("b_file").equalTo(reread.col("file_key")), "left_semi");
        if (before.isEmpty()) return;
        Dataset<Row> rewritten = fresh.join(before, sameInstance(fresh), "left_semi");
        if (!rewritten.isEmpty()) {
            rewritten.createOrReplaceTempView("ich_etl_rewritten_slices");
            spark.sql("MERGE INTO " + table + " t USING ich_etl_rewritten_slices s"
                    + " ON t.slice_key = s.slice_key AND t.file_key = s.file_key WHEN MATCHED THEN UPDATE SET *");
        }
        Dataset<Row> stale = before.join(decisions, sameInstance(decisions), "left_anti")
                .select(col("b_slice").alias(SliceTable.KEY), col("b_file").alias("file_key"));
        if (stale.isEmpty()) return;
        stale.createOrReplaceTempView("ich_etl_stale_slices");
        spark.sql("MERGE INTO " + table + " t USING ich_etl_stale_slices s"
                + " ON t.slice_key = s.slice_key AND t.file_key = s.file_key WHEN MATCHED THEN DELETE");
    }

    /**
     * Adds this run's quarantined files and removes quarantine rows for files that now decoded (a fixed file
     * re-uploaded under the same URI, a retried reason) or wait, so each file stays in exactly one table.
     *
     * @param settled files this run put in slices or waiting; only those quarantined at the start need a delete
     */
    private void mergeQuarantine(Dataset<Row> quarantined, Dataset<Row> settled, Dataset<Row> quarantineAtStart) {
        Dataset<Row> leaving = settled.join(quarantineAtStart, settled.col("file_key").equalTo(quarantineAtStart.col("file_key")),
                "left_semi");
        mergeByFile(QuarantineTable.NAME, QuarantineTable.SCHEMA, quarantined, leaving, "reason", "t.file_size = s.file_size,"
                + " t.content_hash = s.content_hash, t.reason = s.reason, t.message = s.message, t.file_modified = s.file_modified");
    }

    /**
     * Records this run's unreadable files (adding to their attempts and runs) and removes every other file that waited
     * at the start: read now, settled by an earlier run that was killed before this commit, or no longer listed.
     */
    private void mergeWaiting(Dataset<Row> waitingNow, Dataset<Row> waitingAtStart) {
        Dataset<Row> leaving = waitingAtStart.select("file_key").except(waitingNow.select("file_key"));
        mergeByFile(WaitingTable.NAME, WaitingTable.SCHEMA, waitingNow, leaving, "error_class", "t.file_size = s.file_size,"
                + " t.file_modified = s.file_modified, t.attempts = t.attempts + s.attempts, t.runs = t.runs + 1,"
                + " t.error_class = s.error_class, t.message = s.message, t.last_failed = s.last_failed");
    }

    /**
     * One MERGE keyed by file_key into table {@code name}: {@code rows} are inserted or update their file's row as
     * {@code update} says, and the files of {@code leaving} (keys only) lose theirs. No commit when both are empty.
     *
     * @param marker a column no real row holds null in; null marks a deletion
     */
    private void mergeByFile(String name, StructType schema, Dataset<Row> rows, Dataset<Row> leaving, String marker, String update) {
        Dataset<Row> source = rows.unionByName(deletions(leaving, schema));
        if (source.isEmpty()) return;
        String view = "ich_etl_" + name + "_changes";
        source.createOrReplaceTempView(view);
        spark.sql("MERGE INTO " + common.table(name) + " t USING " + view + " s ON t.file_key = s.file_key"
                + " WHEN MATCHED AND s." + marker + " IS NULL THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET " + update
                + " WHEN NOT MATCHED AND s." + marker + " IS NOT NULL THEN INSERT *");
    }

    /** Joins {@code rows} to (b_slice, b_file) on the same instance from the same file. */
    private static Column sameInstance(Dataset<Row> rows) {
        return rows.col(SliceTable.KEY).equalTo(col("b_slice")).and(rows.col("file_key").equalTo(col("b_file")));
    }

    /** Rows of {@code schema} holding only the file keys, every other column null: "delete this file's row". */
    private static Dataset<Row> deletions(Dataset<Row> fileKeys, StructType schema) {
        List<Column> columns = new ArrayList<>();
        for (var f : schema.fields()) columns.add(f.name().equals("file_key") ? col("file_key") : lit(null).cast(f.dataType()).alias(f.name()));
        return fileKeys.select(columns.toArray(Column[]::new));
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
