package org.ich.explore;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.ich.etl.job.SliceTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;

/**
 * Chooses the few slices the report shows, deterministically: one positive per subtype first (so every kind of
 * bleed is seen), then negatives, then further positives, then unlabelled slices. Within a kind, non-empty slices
 * come first, in an order fixed by a hash of the instance (reruns show the same slices, spread over the series).
 * Only the chosen rows' tensors are brought to the driver.
 */
final class SamplePicker {
    static final String ANY = "any";
    static final String NEGATIVE = "negative";
    static final String UNLABELLED = "unlabelled";

    private final SparkSession spark;
    private final String table;

    /** A chosen slice: labels follow SliceTable.LABELS (null entries when unlabelled); no identifiers. */
    record Sample(int number, String split, List<Integer> labels, boolean empty, double brainFraction,
                  int channels, int size, byte[] tensor) {
        boolean labelled() {
            return labels.get(0) != null;
        }

        /** The positive labels' names, subtypes only ("any" is implied by them). */
        List<String> positiveSubtypes() {
            List<String> out = new ArrayList<>();
            for (int i = 1; i < labels.size(); i++) {
                if (Integer.valueOf(1).equals(labels.get(i))) out.add(SliceTable.LABELS.get(i));
            }
            return out;
        }
    }

    SamplePicker(SparkSession spark, String table) {
        this.spark = spark;
        this.table = table;
    }

    List<Sample> pick(int n) {
        if (n <= 0) return List.of();
        List<String> chosen = choose(candidates(n), n);
        return fetch(chosen);
    }

    /** Up to {@code n} candidate instances per kind, in preference order. */
    private Map<String, List<String>> candidates(int n) {
        List<Column> kinds = new ArrayList<>();
        for (String s : SliceStats.SUBTYPES) kinds.add(when(col("label_" + s).equalTo(1), lit(s)));
        kinds.add(when(col("label_any").equalTo(1), lit(ANY)));
        kinds.add(when(col("label_any").equalTo(0), lit(NEGATIVE)));
        kinds.add(when(col("label_any").isNull(), lit(UNLABELLED)));
        Dataset<Row> tagged = spark.table(table)
                .select(col(SliceTable.KEY), col("is_empty"), explode(array(kinds.toArray(Column[]::new))).alias("kind"))
                .where(col("kind").isNotNull());
        var order = Window.partitionBy("kind").orderBy(col("is_empty").asc(), xxhash64(col(SliceTable.KEY)).asc(),
                col(SliceTable.KEY).asc());
        Map<String, List<String>> out = new HashMap<>();
        for (Row r : tagged.withColumn("rank", row_number().over(order)).where(col("rank").leq(n))
                .orderBy("kind", "rank").select("kind", SliceTable.KEY).collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1));
        }
        return out;
    }

    /** The preference order described on the class, over the per-kind candidate lists. */
    static List<String> choose(Map<String, List<String>> candidates, int n) {
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        List<String> positiveKinds = new ArrayList<>(SliceStats.SUBTYPES);
        positiveKinds.add(ANY);
        for (String kind : SliceStats.SUBTYPES) takeOne(candidates.get(kind), chosen, n);
        for (String id : candidates.getOrDefault(NEGATIVE, List.of())) add(id, chosen, n);
        boolean progress = true;
        while (chosen.size() < n && progress) {
            int before = chosen.size();
            for (String kind : positiveKinds) takeOne(candidates.get(kind), chosen, n);
            progress = chosen.size() > before;
        }
        for (String id : candidates.getOrDefault(UNLABELLED, List.of())) add(id, chosen, n);
        return List.copyOf(chosen);
    }

    private static void takeOne(List<String> ids, LinkedHashSet<String> chosen, int n) {
        if (ids == null) return;
        for (String id : ids) {
            if (!chosen.contains(id)) {
                add(id, chosen, n);
                return;
            }
        }
    }

    private static void add(String id, LinkedHashSet<String> chosen, int n) {
        if (chosen.size() < n) chosen.add(id);
    }

    private List<Sample> fetch(List<String> ids) {
        if (ids.isEmpty()) return List.of();
        List<Column> columns = new ArrayList<>(List.of(col(SliceTable.KEY), col("split"), col("is_empty"),
                col("brain_fraction"), col("tensor_channels"), col("tensor_size"), col("tensor")));
        for (String l : SliceTable.labelColumns()) columns.add(col(l));
        Map<String, Row> byId = new HashMap<>();
        for (Row r : spark.table(table).where(col(SliceTable.KEY).isin(ids.toArray()))
                .select(columns.toArray(Column[]::new)).collectAsList()) {
            byId.putIfAbsent(r.getString(0), r);
        }
        List<Sample> out = new ArrayList<>();
        for (String id : ids) {
            Row r = byId.get(id);
            if (r == null) continue;
            List<Integer> labels = new ArrayList<>();
            for (int i = 0; i < SliceTable.LABELS.size(); i++) labels.add(r.isNullAt(7 + i) ? null : r.getInt(7 + i));
            out.add(new Sample(out.size() + 1, r.getString(1), labels, r.getBoolean(2), r.getDouble(3),
                    r.getInt(4), r.getInt(5), (byte[]) r.get(6)));
        }
        return out;
    }
}
