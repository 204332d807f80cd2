package org.ich.train.sequence.job;

import java.io.Serializable;

/**
 * The context stage's probabilities for one series, as they come back from the executors: per slice (in series order)
 * and for the series' "any", with the labels when the series had them (validation). A plain class for Spark's Kryo.
 */
public final class SeriesScores implements Serializable {
    private String series;
    private String[] slices;
    private double[][] probabilities;
    private double seriesAny;
    private int[][] labels;

    SeriesScores() {
    }

    SeriesScores(String series, String[] slices, double[][] probabilities, double seriesAny, int[][] labels) {
        this.series = series;
        this.slices = slices;
        this.probabilities = probabilities;
        this.seriesAny = seriesAny;
        this.labels = labels;
    }

    public String series() { return series; }

    public String[] slices() { return slices; }

    /** {@code [slice][output]}. */
    public double[][] probabilities() { return probabilities; }

    public double seriesAny() { return seriesAny; }

    /** {@code [slice][output]}, or null for an unlabelled series. */
    public int[][] labels() { return labels; }
}
