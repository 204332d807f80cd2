package org.ich.score.card;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.ich.domain.Labels;
import org.ich.report.ReportFiles;
import org.ich.report.ReportPage;
import org.ich.score.card.ModelCardData.Estimate;
import org.ich.score.card.ModelCardData.LabelEvaluation;
import org.ich.score.card.ModelCardData.LevelEvaluation;
import org.ich.score.card.ModelCardData.OperatingPoint;
import org.ich.score.card.ModelCardData.ReliabilityBin;
import org.ich.score.card.ModelCardData.SplitCounts;
import org.ich.score.card.ModelCardData.Stratum;
import org.ich.spark.Storage;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Renders a {@link ModelCardData} as a model card: {@code index.html} plus the ROC and reliability charts it draws,
 * in one folder on any storage ich supports, which opens from disk (inline CSS, no scripts, no external URLs, every
 * text escaped).
 */
public final class ModelCard {
    public static final String INDEX = "index.html";
    /** The page's sections, each an h2, in page order. */
    public static final List<String> SECTIONS = List.of("Intended use and limits", "Data", "Recipe", "Training curves",
            "Discrimination (ROC)", "Calibration", "Operating points", "Strata", "Version");
    static final String SYNTHETIC_WARNING = "Synthetic data: this model was trained and evaluated on synthetic phantoms."
            + " Its figures, calibration and operating points say nothing about real patients; do not use it on them.";

    private static final int CHART_WIDTH = 760;
    private static final int CHART_HEIGHT = 560;
    private static final int JSON_CELL_CHARS = 240;
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    private static final Color REFERENCE = new Color(0x80, 0x80, 0x80);
    /** As the training curves: dark enough to read on white, told apart without relying on red/green alone. */
    private static final Color[] PALETTE = {new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4),
        new Color(0x2C, 0xA0, 0x2C), new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B),
        new Color(0xE3, 0x77, 0xC2), new Color(0x17, 0xBE, 0xCF)};
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Storage storage;
    private final ReportFiles files;

    /** A card written into {@code dir} (file:, s3a://, hdfs://) through {@code storage}. */
    public ModelCard(Storage storage, URI dir) {
        this.storage = storage;
        this.files = new ReportFiles(storage, dir);
    }

    /** A card written into a local folder. */
    public static ModelCard at(Path dir) {
        return new ModelCard(new Storage(new Configuration()), dir.toAbsolutePath().toUri());
    }

    /** Writes the charts and index.html; returns where index.html is. */
    public URI write(ModelCardData d) {
        // Before the first AWT class loads: cards are drawn on machines without a display.
        System.setProperty("java.awt.headless", "true");
        ReportPage page = new ReportPage("ich model card: " + d.version(), meta(d));
        intendedUse(page, d);
        data(page, d);
        recipe(page, d);
        curves(page, d);
        discrimination(page, d);
        calibration(page, d);
        operatingPoints(page, d);
        strata(page, d);
        version(page, d);
        files.text(INDEX, page.finish("Written by ich model card. Intervals are 95% confidence intervals; n/a marks a"
                + " figure that was not measured or cannot be (e.g. an AUC on a single class)."));
        return files.uri(INDEX);
    }

    private static String meta(ModelCardData d) {
        return "Model version " + d.version() + ", " + nullable(d.architecture()) + " with a " + nullable(d.head())
                + " head" + (d.contextStage() == null ? "" : " and a context stage") + "; training started "
                + when(d.created()) + ", finished " + when(d.finished()) + "."
                + (d.trainedOnSynthetic() ? " Trained on synthetic phantoms." : "");
    }

    private static void intendedUse(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(0));
        if (d.trainedOnSynthetic()) page.warning(SYNTHETIC_WARNING);
        page.paragraph("Intended use: a triage aid that orders the reading worklist of non-contrast head CT, so that the"
                + " studies most likely to show intracranial haemorrhage are read first. It is not a diagnosis and it does"
                + " not replace a radiologist's read: every study is still read, whatever its score.");
        page.paragraph("Label set: the RSNA 2019 labels (" + String.join(", ", Labels.NAMES) + "). Other findings"
                + " (infarct, tumour, fracture, ...) are not looked for, so a low score does not mean a normal scan.");
        page.paragraph("Input: one axial CT series per study is expected. A study holding several series, or a series"
                + " that is not a head CT, is scored on whatever it holds, and the study-level figures below do not apply to it.");
        page.note("Calibration and operating points hold only for the population they were measured on (the evaluation"
                + " data below). Scanners, protocols and the prevalence of haemorrhage differ between sites: check the"
                + " calibration and re-choose the operating points on local data before relying on them.");
    }

    private static void data(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(1));
        page.paragraph("Slices table snapshot " + (d.slicesSnapshotId() == null ? "n/a" : d.slicesSnapshotId().toString())
                + (d.trainedOnSynthetic() ? "; the slices are synthetic phantoms, not patient scans." : "."));
        if (d.splits().isEmpty()) {
            page.note("No split counts recorded.");
            return;
        }
        Set<String> labels = new LinkedHashSet<>();
        for (String l : Labels.NAMES) {
            if (d.splits().stream().anyMatch(s -> s.positives().containsKey(l))) labels.add(l);
        }
        for (SplitCounts s : d.splits()) labels.addAll(s.positives().keySet());
        List<String> header = new ArrayList<>(List.of("split", "patients", "studies", "slices"));
        for (String l : labels) header.add(l + " positive slices");
        List<List<String>> rows = new ArrayList<>();
        for (SplitCounts s : d.splits()) {
            List<String> row = new ArrayList<>(List.of(nullable(s.split()), ReportPage.count(s.patients()),
                    ReportPage.count(s.studies()), ReportPage.count(s.slices())));
            for (String l : labels) {
                Long n = s.positives().get(l);
                row.add(n == null ? "n/a" : ReportPage.count(n) + " (" + ReportPage.percent(n, s.slices()) + ")");
            }
            rows.add(row);
        }
        page.table(header, rows);
    }

    private static void recipe(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(2));
        ModelCardData.Input in = d.input();
        page.table(List.of("property", "value"), List.of(
                List.of("architecture", nullable(d.architecture())),
                List.of("input channels", in == null ? "n/a" : Integer.toString(in.channels())),
                List.of("input size", in == null ? "n/a" : in.size() + " × " + in.size()),
                List.of("windows", in == null ? "n/a" : nullable(in.windows())),
                List.of("head", nullable(d.head())),
                List.of("context stage", d.contextStage() == null ? "none (slice stage alone)" : d.contextStage())));
        String json = d.trainingConfigJson();
        if (json == null || json.isBlank()) {
            page.note("No training configuration recorded.");
            return;
        }
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            page.note("The recorded training configuration is not valid JSON; as recorded: " + truncate(json));
            return;
        }
        // The recipe is the training section; the rest of the snapshot (storage, catalog, other jobs) is not.
        boolean trainOnly = config != null && config.isObject() && config.path("train").isObject();
        JsonNode recipe = trainOnly ? config.get("train") : config;
        page.paragraph(trainOnly ? "Training settings (ich.train.*), as recorded in the version's manifest:"
                : "Training configuration, as recorded:");
        List<List<String>> rows = new ArrayList<>();
        if (recipe != null && recipe.isObject()) {
            flatten(trainOnly ? "ich.train." : "", recipe, rows);
        } else {
            rows.add(List.of("(whole configuration)", recipe == null ? "n/a" : jsonCell(recipe)));
        }
        if (rows.isEmpty()) page.note("The training configuration is empty.");
        else page.table(List.of("setting", "value"), rows);
    }

    /** One row per leaf setting, under its dotted key, so that every value reads on its own line. */
    private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject() && e.getValue().size() > 0) flatten(prefix + e.getKey() + ".", e.getValue(), rows);
            else rows.add(List.of(prefix + e.getKey(), jsonCell(e.getValue())));
        }
    }

    private static String jsonCell(JsonNode v) {
        if (v.isNumber()) return v.isIntegralNumber() ? v.asText() : v.decimalValue().stripTrailingZeros().toPlainString();
        return v.isValueNode() && !v.isNull() ? v.asText() : truncate(v.toString());
    }

    private void curves(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(3));
        if (d.curves().isEmpty()) {
            page.note("No training curves recorded for this version.");
            return;
        }
        for (String name : d.curves()) {
            int[] size = imageSize(name);
            if (size == null) page.note("Training curve " + name + " is missing from the card's folder.");
            else page.chart(name, "training curve " + name, size[0], size[1]);
        }
    }

    /** Width and height of a PNG in the card's folder, or null when it is absent or unreadable. */
    private int[] imageSize(String name) {
        URI uri = files.uri(name);
        try {
            if (!storage.fs(uri).exists(new org.apache.hadoop.fs.Path(uri))) return null;
            try (InputStream in = storage.open(uri); ImageInputStream img = ImageIO.createImageInputStream(in)) {
                if (img == null) return null;
                // By the name's suffix first: probing every reader wakes DICOM codecs that print to stdout.
                String suffix = name.substring(name.lastIndexOf('.') + 1);
                Iterator<ImageReader> readers = ImageIO.getImageReadersBySuffix(suffix);
                if (!readers.hasNext()) readers = ImageIO.getImageReaders(img);
                if (!readers.hasNext()) return null;
                ImageReader reader = readers.next();
                try {
                    reader.setInput(img);
                    return new int[] {reader.getWidth(0), reader.getHeight(0)};
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void discrimination(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(4));
        if (d.evaluations().isEmpty()) {
            page.note("No evaluation recorded for this version.");
            return;
        }
        for (LevelEvaluation level : d.evaluations()) {
            page.paragraph("Level: " + level.level() + " (count: " + level.level() + "s evaluated).");
            if (level.labels().stream().anyMatch(l -> l.fpr().length > 0)) {
                page.chart(files.chart(fileName("roc", level.level()), roc(level), CHART_WIDTH, CHART_HEIGHT),
                        "ROC curves per label, " + level.level() + " level", CHART_WIDTH, CHART_HEIGHT);
            } else {
                page.note("No ROC points recorded at the " + level.level() + " level.");
            }
            List<List<String>> rows = new ArrayList<>();
            for (LabelEvaluation l : level.labels()) {
                rows.add(List.of(l.label(), ReportPage.count(l.count()), ReportPage.count(l.positives()),
                        ReportPage.percent(l.positives(), l.count()), estimate(l.auc())));
            }
            page.table(List.of("label", "count", "positives", "prevalence", "AUC [95% CI]"), rows);
        }
    }

    private void calibration(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(5));
        if (d.evaluations().isEmpty()) {
            page.note("No evaluation recorded for this version.");
            return;
        }
        for (LevelEvaluation level : d.evaluations()) {
            page.paragraph("Level: " + level.level() + ". RSNA weighted log loss (any weighted "
                    + fmt(Labels.RSNA_ANY_WEIGHT, 0) + "×): " + fmt(level.weightedLogLoss(), 4) + ".");
            if (level.labels().stream().anyMatch(l -> l.reliability().stream().anyMatch(ModelCard::plotted))) {
                page.chart(files.chart(fileName("calibration", level.level()), reliability(level), CHART_WIDTH, CHART_HEIGHT),
                        "reliability diagram per label, " + level.level() + " level", CHART_WIDTH, CHART_HEIGHT);
            } else {
                page.note("No reliability bins recorded at the " + level.level() + " level.");
            }
            List<List<String>> rows = new ArrayList<>();
            for (LabelEvaluation l : level.labels()) {
                rows.add(List.of(l.label(), fmt(l.logLoss(), 4), fmt(l.ece(), 4), Integer.toString(l.reliability().size())));
            }
            page.table(List.of("label", "log loss", "ECE", "bins"), rows);
        }
        page.note("A well-calibrated model's points lie on the diagonal: of the cases given probability p, a share p is"
                + " positive. ECE is the count-weighted mean distance from it over the bins.");
    }

    private static void operatingPoints(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(6));
        if (d.operatingPoints().isEmpty()) {
            page.note("No operating points chosen for this version.");
            return;
        }
        page.paragraph("Study level, label any: each threshold on the study's probability of any haemorrhage was chosen"
                + " for a target sensitivity; the first is the primary one.");
        List<List<String>> rows = new ArrayList<>();
        for (OperatingPoint p : d.operatingPoints()) {
            rows.add(List.of(nullable(p.name()), fmt(p.targetSensitivity(), 3), fmt(p.threshold(), 4), estimate(p.sensitivity()),
                    estimate(p.specificity()), estimate(p.ppv()), estimate(p.npv()), ReportPage.count(p.tp()) + " / "
                            + ReportPage.count(p.fp()) + " / " + ReportPage.count(p.tn()) + " / " + ReportPage.count(p.fn())));
        }
        page.table(List.of("operating point", "target sensitivity", "threshold", "sensitivity [95% CI]",
                "specificity [95% CI]", "PPV [95% CI]", "NPV [95% CI]", "TP / FP / TN / FN"), rows);
        page.note("PPV and NPV depend on the prevalence of the evaluation data; at a site with another prevalence they differ.");
    }

    private static void strata(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(7));
        if (d.strata().isEmpty()) {
            page.note("No strata recorded for this version.");
            return;
        }
        OperatingPoint primary = d.primaryOperatingPoint();
        page.paragraph("Label any per subgroup; sensitivity at the primary operating point"
                + (primary == null ? "" : " (" + nullable(primary.name()) + ", threshold " + fmt(primary.threshold(), 4) + ")")
                + ". Small subgroups have wide intervals.");
        List<List<String>> rows = new ArrayList<>();
        for (Stratum s : d.strata()) {
            rows.add(List.of(nullable(s.level()), nullable(s.kind()), nullable(s.value()), ReportPage.count(s.count()),
                    ReportPage.count(s.positives()), estimate(s.auc()), estimate(s.sensitivity())));
        }
        page.table(List.of("level", "stratum", "value", "count", "positives", "AUC [95% CI]", "sensitivity [95% CI]"), rows);
    }

    private static void version(ReportPage page, ModelCardData d) {
        page.section(SECTIONS.get(8));
        String took = d.created() == null || d.finished() == null ? "n/a" : duration(Duration.between(d.created(), d.finished()));
        page.table(List.of("property", "value"), List.of(
                List.of("version", d.version()),
                List.of("training started", when(d.created())),
                List.of("training finished", when(d.finished())),
                List.of("training took", took),
                List.of("slices table snapshot", d.slicesSnapshotId() == null ? "n/a" : d.slicesSnapshotId().toString()),
                List.of("trained on synthetic phantoms", d.trainedOnSynthetic() ? "yes" : "no")));
    }

    private static JFreeChart roc(LevelEvaluation level) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<LabelEvaluation> shown = new ArrayList<>();
        for (LabelEvaluation l : level.labels()) {
            double[] fpr = l.fpr(), tpr = l.tpr();
            if (fpr.length == 0) continue;
            XYSeries s = new XYSeries(l.label() + " (AUC " + fmt(l.auc().value(), 3) + ")", false, true);
            for (int i = 0; i < fpr.length; i++) {
                if (Double.isFinite(fpr[i]) && Double.isFinite(tpr[i])) s.add(fpr[i], tpr[i]);
            }
            data.addSeries(s);
            shown.add(l);
        }
        data.addSeries(identity("chance"));
        return unitChart("ROC, " + level.level() + " level", "false-positive rate (1 − specificity)",
                "true-positive rate (sensitivity)", data, shown, false);
    }

    private static JFreeChart reliability(LevelEvaluation level) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<LabelEvaluation> shown = new ArrayList<>();
        for (LabelEvaluation l : level.labels()) {
            XYSeries s = new XYSeries(l.label() + " (ECE " + fmt(l.ece(), 3) + ")", true, true);
            for (ReliabilityBin b : l.reliability()) {
                if (plotted(b)) s.add(b.meanPredicted(), b.observed());
            }
            if (s.getItemCount() == 0) continue;
            data.addSeries(s);
            shown.add(l);
        }
        data.addSeries(identity("perfect calibration"));
        return unitChart("Reliability, " + level.level() + " level", "mean predicted probability", "observed positive share",
                data, shown, true);
    }

    private static boolean plotted(ReliabilityBin b) {
        return b.count() > 0 && Double.isFinite(b.meanPredicted()) && Double.isFinite(b.observed());
    }

    private static XYSeries identity(String name) {
        XYSeries s = new XYSeries(name);
        s.add(0, 0);
        s.add(1, 1);
        return s;
    }

    /** A chart on [0, 1]², the labels' series first (each in its label's colour), the reference line last, dashed grey. */
    private static JFreeChart unitChart(String title, String x, String y, XYSeriesCollection data,
                                        List<LabelEvaluation> labels, boolean shapes) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        ((NumberAxis) plot.getDomainAxis()).setRange(0, 1);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, shapes);
        Shape dot = new Ellipse2D.Double(-3.5, -3.5, 7, 7);
        for (int i = 0; i < labels.size(); i++) {
            lines.setSeriesStroke(i, new BasicStroke(2f));
            lines.setSeriesPaint(i, colour(labels.get(i).label(), i));
            lines.setSeriesShape(i, dot);
        }
        int ref = labels.size();
        lines.setSeriesStroke(ref, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        lines.setSeriesPaint(ref, REFERENCE);
        lines.setSeriesShapesVisible(ref, false);
        plot.setRenderer(lines);
        return chart;
    }

    /** A label keeps its colour across charts; a label outside the RSNA set takes the palette's remaining ones. */
    private static Color colour(String label, int position) {
        int i = Labels.NAMES.indexOf(label);
        return PALETTE[(i >= 0 ? i : Labels.COUNT + position) % PALETTE.length];
    }

    /** A file name from a level's name, whatever text the level is. */
    static String fileName(String prefix, String level) {
        String safe = level.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return prefix + "-" + (safe.isEmpty() ? "level" : safe) + ".png";
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** {@code 0.912 [0.880, 0.940]}; a narrow table cell breaks it before the interval only, never inside it. */
    static String estimate(Estimate e) {
        if (Double.isNaN(e.value())) return "n/a";
        String interval = Double.isNaN(e.low()) && Double.isNaN(e.high()) ? "n/a" : fmt(e.low(), 3) + ",\u00A0" + fmt(e.high(), 3);
        return fmt(e.value(), 3) + " [" + interval + "]";
    }

    private static String when(Instant t) {
        return t == null ? "n/a" : WHEN.format(t);
    }

    private static String duration(Duration d) {
        if (d.isNegative()) return "n/a";
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }

    private static String nullable(String s) {
        return s == null ? "n/a" : s;
    }

    private static String truncate(String s) {
        return s.length() <= JSON_CELL_CHARS ? s : s.substring(0, JSON_CELL_CHARS) + "…";
    }
}
