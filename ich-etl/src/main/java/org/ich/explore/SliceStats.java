package org.ich.explore;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ich.domain.Split;
import org.ich.etl.job.SliceTable;

/**
 * The report's aggregates over the slices table, computed by Spark; only the small results reach the driver. The
 * columns the aggregates need (not the tensors or headers) are cached once, so the table is read a single time.
 */
final class SliceStats implements AutoCloseable {
    static final List<String> SUBTYPES = SliceTable.LABELS.subList(1, SliceTable.LABELS.size());
    static final String ALL = "all";
    /** Splits in pipeline order; others (a hand-made table might have them) follow alphabetically, then the total. */
    private static final List<String> SPLIT_ORDER = Split.ALL;

    private final Dataset<Row> slices;

    /** Per split (and {@link #ALL}): sizes, empty slices and label counts; {@code positives} follow SliceTable.LABELS. */
    record SplitSummary(String split, long slices, long patients, long studies, long series, long empty, long labelled,
                        List<Long> positives) {
        double prevalence(int label) {
            return labelled == 0 ? 0 : (double) positives.get(label) / labelled;
        }
    }

    /** One row of a group count: the group's values (already displayable), its slices and its series. */
    record Group(List<String> key, long slices, long series) {}

    /** Slices that are positive for both subtypes i and j (the diagonal: for subtype i). */
    record CoOccurrence(long[][] counts, long multiSubtype) {}

    /** Counts of brain_fraction in equal bins over [0, 1], and how many slices count as empty. */
    record Histogram(long[] bins, long flaggedEmpty, long belowThreshold) {
        double binWidth() { return 1.0 / bins.length; }
    }

    private SliceStats(Dataset<Row> slices) {
        this.slices = slices;
    }

    static SliceStats of(SparkSession spark, String table) {
        List<String> columns = new ArrayList<>(List.of("split", "patient_key", "study_key", "series_key", "is_empty",
                "brain_fraction", "bits_stored", "pixel_representation", "intercept_fixed", "manufacturer"));
        columns.addAll(SliceTable.labelColumns());
        Dataset<Row> narrow = spark.table(table).select(columns.stream().map(c -> col(c)).toArray(Column[]::new));
        return new SliceStats(narrow.persist(StorageLevel.MEMORY_AND_DISK()));
    }

    /** One summary per split, in pipeline order, then the whole table as {@link #ALL}. */
    List<SplitSummary> splits() {
        List<Column> aggs = new ArrayList<>(List.of(countDistinct("patient_key"), countDistinct("study_key"),
                countDistinct("series_key"), sum(when(col("is_empty"), 1L).otherwise(0L)), count("label_any")));
        for (String label : SliceTable.labelColumns()) aggs.add(sum(when(col(label).equalTo(1), 1L).otherwise(0L)));
        // rollup's extra row (split null) is the total; split itself is never null in the table.
        List<Row> rows = slices.rollup("split").agg(count(lit(1)), aggs.toArray(Column[]::new)).collectAsList();
        List<SplitSummary> out = new ArrayList<>();
        for (Row r : rows) {
            List<Long> positives = new ArrayList<>();
            for (int i = 0; i < SliceTable.LABELS.size(); i++) positives.add(r.getLong(7 + i));
            out.add(new SplitSummary(r.isNullAt(0) ? ALL : r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3),
                    r.getLong(4), r.getLong(5), r.getLong(6), List.copyOf(positives)));
        }
        out.sort(Comparator.comparingInt((SplitSummary s) -> splitRank(s.split())).thenComparing(SplitSummary::split));
        return out;
    }

    private static int splitRank(String split) {
        if (split.equals(ALL)) return Integer.MAX_VALUE;
        int i = SPLIT_ORDER.indexOf(split);
        return i >= 0 ? i : SPLIT_ORDER.size();
    }

    /** Patients whose slices sit in more than one split: any is a leak between training and evaluation. */
    long patientsInSeveralSplits() {
        return slices.groupBy("patient_key").agg(countDistinct("split").alias("splits"))
                .where(col("splits").gt(1)).count();
    }

    CoOccurrence coOccurrence() {
        List<Column> aggs = new ArrayList<>();
        for (int i = 0; i < SUBTYPES.size(); i++) {
            for (int j = i; j < SUBTYPES.size(); j++) {
                aggs.add(sum(when(positive(SUBTYPES.get(i)).and(positive(SUBTYPES.get(j))), 1L).otherwise(0L)));
            }
        }
        Column positiveSubtypes = lit(0);
        for (String s : SUBTYPES) positiveSubtypes = positiveSubtypes.plus(when(positive(s), 1).otherwise(0));
        aggs.add(sum(when(positiveSubtypes.geq(2), 1L).otherwise(0L)));
        Row r = slices.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
        long[][] counts = new long[SUBTYPES.size()][SUBTYPES.size()];
        int k = 0;
        for (int i = 0; i < SUBTYPES.size(); i++) {
            for (int j = i; j < SUBTYPES.size(); j++) {
                long v = r.isNullAt(k) ? 0 : r.getLong(k);
                counts[i][j] = v;
                counts[j][i] = v;
                k++;
            }
        }
        return new CoOccurrence(counts, r.isNullAt(k) ? 0 : r.getLong(k));
    }

    private static Column positive(String label) {
        return col("label_" + label).equalTo(1);
    }

    /** The RSNA pixel quirk groups: the BitsStored-12 / unsigned / intercept-fix combinations, largest first. */
    List<Group> quirkGroups(int limit) {
        List<Group> out = new ArrayList<>();
        for (Row r : slices.groupBy("bits_stored", "pixel_representation", "intercept_fixed")
                .agg(count(lit(1)).alias("n"), countDistinct("series_key"))
                .orderBy(desc("n"), asc("bits_stored"), asc("pixel_representation"), asc("intercept_fixed"))
                .limit(limit).collectAsList()) {
            out.add(new Group(List.of(String.valueOf(r.getInt(0)), r.getInt(1) == 1 ? "1 (signed)" : r.getInt(1) + " (unsigned)",
                    r.getBoolean(2) ? "yes" : "no"), r.getLong(3), r.getLong(4)));
        }
        return out;
    }

    /** Slices and series per manufacturer, largest first; blanks and nulls are one "not recorded" group. */
    List<Group> manufacturers(int limit) {
        Column name = coalesce(nullif(trim(col("manufacturer")), lit("")), lit("(not recorded)"));
        List<Group> out = new ArrayList<>();
        for (Row r : slices.groupBy(name.alias("manufacturer")).agg(count(lit(1)).alias("n"), countDistinct("series_key"))
                .orderBy(desc("n"), asc("manufacturer")).limit(limit).collectAsList()) {
            out.add(new Group(List.of(r.getString(0)), r.getLong(1), r.getLong(2)));
        }
        return out;
    }

    long manufacturerCount() {
        return slices.select(coalesce(nullif(trim(col("manufacturer")), lit("")), lit("(not recorded)"))).distinct().count();
    }

    Histogram brainFraction(int bins, double emptyThreshold) {
        Column bin = greatest(lit(0), least(lit(bins - 1), floor(col("brain_fraction").multiply(bins)).cast("int")));
        long[] counts = new long[bins];
        for (Row r : slices.where(col("brain_fraction").isNotNull()).groupBy(bin.alias("bin")).count().collectAsList()) {
            counts[r.getInt(0)] = r.getLong(1);
        }
        Row totals = slices.agg(sum(when(col("is_empty"), 1L).otherwise(0L)),
                sum(when(col("brain_fraction").lt(emptyThreshold), 1L).otherwise(0L))).first();
        return new Histogram(counts, totals.isNullAt(0) ? 0 : totals.getLong(0), totals.isNullAt(1) ? 0 : totals.getLong(1));
    }

    @Override
    public void close() {
        slices.unpersist();
    }
}
