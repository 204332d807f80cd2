package org.ich.train.sequence;

import java.util.Arrays;
import java.util.List;

/**
 * One CT series as the context stage sees it: per slice, in slice_index order, what the slice stage made of it.
 * The arrays are kept, not copied: a training set holds every series' embeddings once.
 *
 * @param sliceKeys  the slices, in order; {@link #steps()} of them, at least one
 * @param embeddings per slice the slice CNN's pooled features, all of one width
 * @param logits     per slice the slice stage's log(p / (1 - p)), all of one width
 * @param z          per slice its position along the scan axis in mm; NaN where unknown
 * @param labels     per slice 0/1 per output, or null for a series to score
 */
public record SeriesExample(String seriesKey, List<String> sliceKeys, float[][] embeddings, float[][] logits,
                            double[] z, int[][] labels) implements java.io.Serializable {

    public SeriesExample {
        if (seriesKey == null) {
            throw new IllegalArgumentException("seriesKey is required");
        }
        if (sliceKeys == null || sliceKeys.isEmpty()) {
            throw new IllegalArgumentException("Series " + seriesKey + " has no slices");
        }
        sliceKeys = List.copyOf(sliceKeys);
        int steps = sliceKeys.size();
        rows("embeddings", embeddings, steps, seriesKey);
        rows("logits", logits, steps, seriesKey);
        if (z == null || z.length != steps) {
            throw new IllegalArgumentException("Series " + seriesKey + ": z has " + (z == null ? 0 : z.length)
                    + " values for " + steps + " slices");
        }
        if (labels != null) {
            int width = width("labels",
                    Arrays.stream(labels).mapToInt(row -> row == null ? 0 : row.length).toArray(), steps, seriesKey);
            for (int[] row : labels) {
                for (int i = 0; i < width; i++) {
                    if (row[i] != 0 && row[i] != 1) {
                        throw new IllegalArgumentException("Series " + seriesKey + ": labels must be 0 or 1, got "
                                + row[i]);
                    }
                }
            }
        }
    }

    public int steps() {
        return sliceKeys.size();
    }

    /** The series-level truth: whether any slice shows a bleed. */
    public int seriesAny() {
        if (labels == null) {
            throw new IllegalStateException("Series " + seriesKey + " is unlabelled");
        }
        for (int[] slice : labels) {
            if (slice[0] == 1) {
                return 1;
            }
        }
        return 0;
    }

    /** Width of the embeddings. */
    int embedding() {
        return embeddings[0].length;
    }

    private static void rows(String name, float[][] rows, int steps, String seriesKey) {
        if (rows == null) {
            throw new IllegalArgumentException("Series " + seriesKey + ": " + name + " are missing");
        }
        width(name, Arrays.stream(rows).mapToInt(row -> row == null ? 0 : row.length).toArray(), steps, seriesKey);
        for (float[] row : rows) {
            for (float value : row) {
                if (Float.isNaN(value)) {
                    throw new IllegalArgumentException("Series " + seriesKey + ": " + name + " contain NaN");
                }
            }
        }
    }

    /** Checks one row per slice, all of one positive width, and returns that width. */
    private static int width(String name, int[] widths, int steps, String seriesKey) {
        if (widths.length != steps) {
            throw new IllegalArgumentException("Series " + seriesKey + ": " + name + " has " + widths.length
                    + " rows for " + steps + " slices");
        }
        for (int t = 0; t < steps; t++) {
            if (widths[t] == 0 || widths[t] != widths[0]) {
                throw new IllegalArgumentException("Series " + seriesKey + ": " + name + " row " + t + " has "
                        + widths[t] + " values, row 0 has " + widths[0]);
            }
        }
        return widths[0];
    }
}
