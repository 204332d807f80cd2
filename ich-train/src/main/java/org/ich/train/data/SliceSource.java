package org.ich.train.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ich.etl.job.SliceTable;

/**
 * The labelled, non-empty slices of one split of the {@code slices} table, as rows of
 * {@code key, patient_key, tensor, channels, size, label...} (see {@link #toSample(Row)}).
 *
 * <p>For 2.5D inputs the tensor is the slice stacked between its neighbours in the same series
 * (slice_index - 1, the slice, slice_index + 1), by a self-join computed on the executors; at the top and
 * bottom of a series the slice stands in for its missing neighbour. Neighbours may be empty slices: they
 * are context, not samples.
 */
public final class SliceSource {

    public static final String KEY = "key";
    static final int FIRST_LABEL = 5;

    private SliceSource() {
    }

    /** @param table the {@code slices} table, as read (pinned to a snapshot by the caller) */
    public static Dataset<Row> labelled(Dataset<Row> table, String split, List<String> labelColumns,
                                        boolean neighbours) {
        Dataset<Row> all = table.where(col("split").equalTo(lit(split)));
        Column usable = col("is_empty").equalTo(lit(false));
        for (String label : labelColumns) {
            usable = usable.and(col(label).isNotNull());
        }
        return inputs(all, all.where(usable), neighbours, labelColumns);
    }

    /**
     * The network inputs of {@code slices}: rows of {@code key, patient_key, tensor, channels, size} followed by the
     * {@code carried} columns of each slice. With {@code neighbours}, the tensor is stacked with the slices above
     * and below found in {@code series} (which must hold every slice of the series involved).
     */
    public static Dataset<Row> inputs(Dataset<Row> series, Dataset<Row> slices, boolean neighbours,
                                      List<String> carried) {
        Dataset<Row> s = slices.alias("s");
        Column tensor = col("s.tensor");
        Column channels = col("s.tensor_channels");
        if (neighbours) {
            s = s
                    .join(neighbour(series, "above", -1), col("s.series_key").equalTo(col("above.series_key"))
                            .and(col("s.slice_index").equalTo(col("above.at"))), "left")
                    .join(neighbour(series, "below", 1), col("s.series_key").equalTo(col("below.series_key"))
                            .and(col("s.slice_index").equalTo(col("below.at"))), "left");
            tensor = concat(coalesce(col("above.tensor"), tensor), tensor, coalesce(col("below.tensor"), tensor));
            channels = channels.multiply(3);
        }
        List<Column> out = new ArrayList<>(List.of(col("s." + SliceTable.KEY).as(KEY), col("s.patient_key").as("patient_key"),
                tensor.as("tensor"), channels.as("channels"), col("s.tensor_size").as("size")));
        for (String column : carried) {
            out.add(col("s." + column).as(column));
        }
        return s.select(out.toArray(Column[]::new));
    }

    /** Each row relabelled as the neighbour at {@code offset} of the slice it will join to. */
    private static Dataset<Row> neighbour(Dataset<Row> all, String alias, int offset) {
        return all.select(col("series_key"), col("slice_index").minus(lit(offset)).as("at"), col("tensor")).alias(alias);
    }

    public static SliceSample toSample(Row row) {
        int[] labels = new int[row.length() - FIRST_LABEL];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = row.getInt(FIRST_LABEL + i);
        }
        return new SliceSample(row.getString(0), (byte[]) row.get(2), row.getInt(3), row.getInt(4), labels);
    }
}
