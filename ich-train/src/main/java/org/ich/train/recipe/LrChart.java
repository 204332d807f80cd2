package org.ich.train.recipe;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The range test's smoothed loss against the learning rate (log axis), with the suggestion marked. */
public final class LrChart {

    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    private static final Color SUGGESTION = new Color(0xC6, 0x28, 0x28);

    private LrChart() {
    }

    public static JFreeChart of(LrRangeTest test) {
        XYSeries series = new XYSeries("smoothed training loss");
        List<Double> lrs = test.lrs();
        List<Double> losses = test.smoothedLosses();
        for (int i = 0; i < lrs.size(); i++) {
            series.add(lrs.get(i), losses.get(i));
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Learning-rate range test", "learning rate", "loss",
                new XYSeriesCollection(series), PlotOrientation.VERTICAL, false, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        LogAxis axis = new LogAxis("learning rate");
        axis.setBase(10);
        axis.setSmallestValue(1e-12);
        plot.setDomainAxis(axis);
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        double suggested = test.suggestedLr();
        if (Double.isFinite(suggested) && suggested > 0) {
            ValueMarker marker = new ValueMarker(suggested, SUGGESTION, new BasicStroke(1.5f));
            marker.setLabel(String.format("suggested %.2g", suggested));
            marker.setLabelPaint(SUGGESTION);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker);
        }
        return chart;
    }
}
