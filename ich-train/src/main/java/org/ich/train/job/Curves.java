package org.ich.train.job;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.VersionFolder;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The training curves drawn from metrics.json: losses per epoch and validation AUC per label per epoch. */
final class Curves {

    static final String LOSS = "loss.png";
    static final String AUC = "auc.png";
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    /** Dark enough to read on white, told apart without relying on red/green alone. */
    private static final Color[] PALETTE = {new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4),
        new Color(0x2C, 0xA0, 0x2C), new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B)};

    private Curves() {
    }

    static void write(VersionFolder folder, List<Map<String, Object>> epochs, List<String> labels)
            throws IOException {
        XYSeries train = new XYSeries("train (weighted BCE)");
        XYSeries valid = new XYSeries("validation (RSNA weighted log loss)");
        XYSeriesCollection aucs = new XYSeriesCollection();
        for (String label : labels) {
            aucs.addSeries(new XYSeries(label));
        }
        for (Map<String, Object> epoch : epochs) {
            int x = ((Number) epoch.get("epoch")).intValue();
            add(train, x, epoch.get("train_loss"));
            add(valid, x, epoch.get("valid_loss"));
            if (epoch.get("labels") instanceof Map<?, ?> perLabel) {
                for (int i = 0; i < labels.size(); i++) {
                    if (perLabel.get(labels.get(i)) instanceof Map<?, ?> score) {
                        add(aucs.getSeries(i), x, score.get("auc"));
                    }
                }
            }
        }
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(train);
        losses.addSeries(valid);
        png(folder, ModelVersion.PLOTS + "/" + LOSS, chart("Loss per epoch", "loss", losses, false));
        png(folder, ModelVersion.PLOTS + "/" + AUC, chart("Validation AUC per label", "ROC AUC", aucs, true));
    }

    private static void add(XYSeries series, int x, Object y) {
        if (y instanceof Number n) {
            series.add(x, n.doubleValue());
        }
    }

    private static JFreeChart chart(String title, String yLabel, XYSeriesCollection data, boolean unitRange) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        if (unitRange) {
            range.setRange(0, 1.02);
        } else {
            range.setAutoRangeIncludesZero(true);
        }
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            lines.setSeriesStroke(i, new BasicStroke(2f));
            lines.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(lines);
        return chart;
    }

    static void png(VersionFolder folder, String path, JFreeChart chart) throws IOException {
        folder.replace(path, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 500));
    }
}
