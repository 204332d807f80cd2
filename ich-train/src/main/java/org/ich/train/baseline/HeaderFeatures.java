package org.ich.train.baseline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The baseline's inputs: technical header columns of the slices table, never pixels (brain_fraction, one number per
 * slice, is the single exception) and never identifiers. What a model learns from these alone is what an image model
 * could learn without looking at the image.
 */
final class HeaderFeatures {
    static final List<String> NUMERIC = List.of("z_position", "slice_index", "instance_number", "rows", "columns",
            "pixel_spacing_row", "pixel_spacing_col", "slice_thickness", "bits_stored", "pixel_representation",
            "rescale_slope", "rescale_intercept", "window_center", "window_width", "kvp", "xray_tube_current", "exposure",
            "brain_fraction");
    static final String MANUFACTURER = "manufacturer";
    static final String MANUFACTURER_INDEX = "manufacturer_index";
    static final String LABEL = "label";
    static final String FEATURES = "features";
    /**
     * Stand-in for a missing header value: far below any real one, so a tree can split the missing rows off on their
     * own instead of mixing them with a real value.
     */
    static final double MISSING = -1e9;
    static final String UNKNOWN_MANUFACTURER = "(none)";

    private HeaderFeatures() {}

    /** Assembler inputs in order; feature importances come back in this order. */
    static List<String> assembled() {
        List<String> all = new ArrayList<>(NUMERIC);
        all.add(MANUFACTURER_INDEX);
        return all;
    }

    /** The label as double, the split, and every feature column with missing values filled. */
    static Dataset<Row> select(Dataset<Row> slices) {
        List<Column> cols = new ArrayList<>();
        cols.add(col("split"));
        cols.add(col("label_any").cast("double").as(LABEL));
        for (String c : NUMERIC) cols.add(col(c).cast("double").as(c));
        cols.add(coalesce(col(MANUFACTURER), lit(UNKNOWN_MANUFACTURER)).as(MANUFACTURER));
        // Only these columns are read: Iceberg prunes the rest, above all the tensor bytes.
        return slices.select(cols.toArray(Column[]::new)).na().fill(MISSING, NUMERIC.toArray(String[]::new));
    }
}
