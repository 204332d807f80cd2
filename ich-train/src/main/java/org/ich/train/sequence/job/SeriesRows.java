package org.ich.train.sequence.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ich.domain.Labels;
import org.ich.etl.job.SliceTable;
import org.ich.train.model.Logit;
import org.ich.train.sequence.SeriesExample;
import scala.collection.Seq;

/**
 * Rows of {@code slice_embeddings} (plus {@code label_*} columns for training) grouped into one
 * {@link SeriesExample} per series, its slices in {@code slice_index} order, on the executors.
 *
 * <p>The order is the job's, never the input's: rows are sorted by slice_index (slices the ETL could not place, with a
 * null index, go last by z), then slice key, so shuffled inputs give the same series. A series is what the table
 * holds of it: a slice that was not embedded (quarantined, or not yet ingested) is a missing neighbour, which the
 * z-gap features show to the model.
 */
public final class SeriesRows {
    private SeriesRows() {
    }

    /** Every series in {@code rows}, unlabelled (for scoring). */
    public static JavaRDD<SeriesBlock> unlabelled(Dataset<Row> rows, int logits) {
        return rows.javaRDD().groupBy(r -> r.<String>getAs("series_key"))
                .map(g -> SeriesBlock.of(example(g._1(), g._2(), logits, false)));
    }

    /**
     * The series in {@code rows} whose every slice carries all {@code logits} labels (training and validation); a
     * series with an unlabelled slice is left out.
     */
    public static JavaRDD<SeriesBlock> labelled(Dataset<Row> rows, int logits) {
        return rows.javaRDD().groupBy(r -> r.<String>getAs("series_key"))
                .filter(g -> {
                    for (Row r : g._2()) {
                        for (int l = 0; l < logits; l++) if (r.isNullAt(r.fieldIndex(Labels.LABEL_COLUMNS.get(l)))) return false;
                    }
                    return true;
                })
                .map(g -> SeriesBlock.of(example(g._1(), g._2(), logits, true)));
    }

    static final Comparator<Row> ORDER = Comparator
            .comparing((Row r) -> r.<Integer>getAs("slice_index"), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(r -> r.<Double>getAs("z_position"), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(r -> r.<String>getAs(SliceTable.KEY));

    static SeriesExample example(String series, Iterable<Row> rows, int logits, boolean labelled) {
        List<Row> ordered = new ArrayList<>();
        rows.forEach(ordered::add);
        ordered.sort(ORDER);
        int t = ordered.size();
        List<String> keys = new ArrayList<>(t);
        float[][] embeddings = new float[t][];
        float[][] logitRows = new float[t][logits];
        double[] z = new double[t];
        int[][] labels = labelled ? new int[t][logits] : null;
        for (int i = 0; i < t; i++) {
            Row r = ordered.get(i);
            keys.add(r.getAs(SliceTable.KEY));
            embeddings[i] = floats(r.getAs(SliceEmbeddingTable.EMBEDDING));
            for (int l = 0; l < logits; l++) {
                Double p = r.getAs("p_slice_" + Labels.NAMES.get(l));
                logitRows[i][l] = logit(p == null ? 0.5 : p);
                if (labelled) labels[i][l] = r.<Integer>getAs(Labels.LABEL_COLUMNS.get(l));
            }
            Double at = r.getAs("z_position");
            z[i] = at == null ? Double.NaN : at;
        }
        return new SeriesExample(series, keys, embeddings, logitRows, z, labels);
    }

    /** The slice stage's evidence on the logit scale, clipped where float sigmoids saturate. */
    static float logit(double p) {
        return (float) Logit.of(p);
    }

    private static float[] floats(Object array) {
        if (array instanceof Seq<?> seq) {
            float[] out = new float[seq.size()];
            for (int i = 0; i < out.length; i++) out[i] = ((Number) seq.apply(i)).floatValue();
            return out;
        }
        List<?> list = (List<?>) array;
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) list.get(i)).floatValue();
        return out;
    }
}
