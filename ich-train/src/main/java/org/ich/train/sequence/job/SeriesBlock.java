package org.ich.train.sequence.job;

import java.io.Serializable;
import java.util.Arrays;

import org.ich.train.sequence.SeriesExample;

/**
 * A series on its way through Spark (shuffles, serialized caches): not the {@link SeriesExample} record, which
 * Spark's Kryo cannot rebuild, but a plain class with a no-argument constructor, which both of Spark's serialisers
 * take.
 */
public final class SeriesBlock implements Serializable {
    private String series;
    private String[] slices;
    private float[][] embeddings;
    private float[][] logits;
    private double[] z;
    private int[][] labels;

    SeriesBlock() {
    }

    static SeriesBlock of(SeriesExample e) {
        SeriesBlock b = new SeriesBlock();
        b.series = e.seriesKey();
        b.slices = e.sliceKeys().toArray(String[]::new);
        b.embeddings = e.embeddings();
        b.logits = e.logits();
        b.z = e.z();
        b.labels = e.labels();
        return b;
    }

    public String series() {
        return series;
    }

    public SeriesExample example() {
        return new SeriesExample(series, Arrays.asList(slices), embeddings, logits, z, labels);
    }
}
