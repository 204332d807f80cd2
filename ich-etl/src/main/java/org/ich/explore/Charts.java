package org.ich.explore;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws the report's charts (the data arrives aggregated; nothing here touches Spark). */
final class Charts {
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    private static final Color THRESHOLD = new Color(0xC6, 0x28, 0x28);
    /** Each split keeps its colour across charts, so a reader matches them at a glance. */
    private static final Map<String, Color> SPLIT_COLOURS = Map.of("train", new Color(0x1F, 0x77, 0xB4),
            "valid", new Color(0xFF, 0x7F, 0x0E), "test", new Color(0x2C, 0xA0, 0x2C), SliceStats.ALL, new Color(0x70, 0x70, 0x70));
    private static final Color OTHER = new Color(0x94, 0x67, 0xBD);

    private Charts() {}

    /** Share of labelled slices positive for "any", one bar per split. */
    static JFreeChart anyPrevalence(List<SliceStats.SplitSummary> splits) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (SliceStats.SplitSummary s : splits) {
            if (s.labelled() > 0) data.addValue(s.prevalence(0), "any", s.split());
        }
        JFreeChart chart = ChartFactory.createBarChart("Slices positive for any hemorrhage", "split",
                "share of labelled slices", data, PlotOrientation.VERTICAL, false, false, false);
        // One colour per bar (split), not per series: the single series would paint them all alike.
        style(chart).setRenderer(new SplitColouredBars(data));
        return chart;
    }

    /** Share of labelled slices positive for each subtype, one bar per split and subtype. */
    static JFreeChart subtypePrevalence(List<SliceStats.SplitSummary> splits) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (SliceStats.SplitSummary s : splits) {
            if (s.labelled() == 0) continue;
            for (int i = 0; i < SliceStats.SUBTYPES.size(); i++) data.addValue(s.prevalence(i + 1), s.split(), SliceStats.SUBTYPES.get(i));
        }
        JFreeChart chart = ChartFactory.createBarChart("Subtype prevalence by split", "subtype", "share of labelled slices",
                data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = style(chart);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        for (int i = 0; i < data.getRowCount(); i++) bars.setSeriesPaint(i, colour(data.getRowKey(i).toString()));
        bars.setItemMargin(0.05);
        // "intraparenchymal" is wider than its category slot; let it spill rather than be cut to "intraparenc...".
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(1.4f);
        return chart;
    }

    /** Histogram of brain_fraction with the empty-slice threshold as a vertical line. */
    static JFreeChart brainFraction(SliceStats.Histogram h, double threshold) {
        XYIntervalSeries series = new XYIntervalSeries("slices");
        double w = h.binWidth();
        for (int i = 0; i < h.bins().length; i++) {
            double lo = i * w;
            series.add(lo + w / 2, lo, lo + w, h.bins()[i], 0, h.bins()[i]);
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(series);
        JFreeChart chart = ChartFactory.createXYBarChart("Brain-window fraction per slice", "share of pixels with 0 < HU < 80",
                false, "slices", data, PlotOrientation.VERTICAL, false, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.getDomainAxis().setRange(0, 1);
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYBarRenderer bars = (XYBarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(true);
        bars.setSeriesOutlinePaint(0, Color.WHITE);
        bars.setSeriesPaint(0, colour("train"));
        ValueMarker line = new ValueMarker(threshold, THRESHOLD, new BasicStroke(2f));
        line.setLabel("empty threshold " + threshold);
        line.setLabelPaint(THRESHOLD);
        line.setLabelBackgroundColor(new Color(255, 255, 255, 200));
        line.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        line.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(line);
        return chart;
    }

    private static CategoryPlot style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        NumberAxis axis = (NumberAxis) plot.getRangeAxis();
        axis.setNumberFormatOverride(percent());
        axis.setUpperMargin(0.15);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        return plot;
    }

    private static NumberFormat percent() {
        NumberFormat percent = NumberFormat.getPercentInstance(Locale.ROOT);
        percent.setMaximumFractionDigits(1);
        return percent;
    }

    static Color colour(String split) {
        return SPLIT_COLOURS.getOrDefault(split, OTHER);
    }

    /** Bars coloured by their category (the split) instead of by series. */
    private static final class SplitColouredBars extends BarRenderer {
        private final DefaultCategoryDataset data;

        SplitColouredBars(DefaultCategoryDataset data) {
            this.data = data;
            setBarPainter(new StandardBarPainter());
            setShadowVisible(false);
            setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", percent()));
            setDefaultItemLabelsVisible(true);
            setMaximumBarWidth(0.15);
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            return colour(data.getColumnKey(column).toString());
        }
    }
}
