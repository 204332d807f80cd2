package org.ich.explore;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.dicom.QuarantineReason;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.QuarantineTable;
import org.ich.etl.job.SliceTable;
import org.ich.report.ReportFiles;
import org.ich.report.ReportPage;
import org.ich.report.TensorImages;
import org.ich.spark.Storage;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.*;

/**
 * The dataset report: runs the aggregates, draws the charts and sample images, and lays them out in index.html.
 * It shows counts only; the keys and UIDs the queries use never reach the page or the images' names.
 */
public final class ExploreReport {
    static final String INDEX = "index.html";
    static final int HISTOGRAM_BINS = 50;
    static final int QUIRK_GROUPS = 50;
    static final int MANUFACTURERS = 20;
    private static final int CHART_W = 800, CHART_H = 400;

    private final SparkSession spark;
    private final ExploreConfig cfg;

    public ExploreReport(SparkSession spark, ExploreConfig cfg) {
        this.spark = spark;
        this.cfg = cfg;
    }

    /** Writes the report and returns where index.html is. */
    public URI write() {
        // Before the first AWT class loads: reports are drawn on machines without a display.
        System.setProperty("java.awt.headless", "true");
        String slicesTable = cfg.common().table(SliceTable.NAME);
        if (!spark.catalog().tableExists(slicesTable)) {
            throw new UserError("table " + slicesTable + " does not exist; run ich etl first (or check ich.warehouse and ich.namespace)");
        }
        ReportFiles files = new ReportFiles(Storage.of(cfg.common()), cfg.out());
        Map<String, String> props = EtlTables.properties(spark, slicesTable);
        TensorSpec spec = TensorSpec.from(props);
        ReportPage page = new ReportPage("ich dataset report", meta(slicesTable, props, spec));

        try (SliceStats stats = SliceStats.of(spark, slicesTable)) {
            List<SliceStats.SplitSummary> splits = stats.splits();
            if (splits.isEmpty()) { // a grouping over no rows has no rows, not even the total
                page.section("Slices").note("The slices table is empty: run ich etl to fill it.");
            } else {
                SliceStats.SplitSummary all = splits.get(splits.size() - 1);
                splitsSection(page, splits, stats.patientsInSeveralSplits());
                labelsSection(page, files, splits, stats);
                quirksSection(page, stats, all);
                brainFractionSection(page, files, stats.brainFraction(HISTOGRAM_BINS, cfg.emptyThreshold()), all);
                samplesSection(page, files, new SamplePicker(spark, slicesTable).pick(cfg.samples()), spec);
            }
        }
        quarantineSection(page);
        files.text(INDEX, page.finish("Written by ich explore. Counts only: no patient, study, series or instance "
                + "identifier appears in this report or in its file names."));
        return files.uri(INDEX);
    }

    private static String meta(String table, Map<String, String> props, TensorSpec spec) {
        StringBuilder b = new StringBuilder("Table ").append(table);
        String snapshot = props.get("current-snapshot-id");
        if (snapshot != null && !snapshot.equals("none")) b.append(", snapshot ").append(snapshot);
        if (spec.raw() != null) b.append(" \u00b7 tensor windows ").append(spec.raw());
        if (spec.size() != null) b.append(", size ").append(spec.size()).append(" px");
        return b.append(" \u00b7 generated ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).toString();
    }

    private static void splitsSection(ReportPage page, List<SliceStats.SplitSummary> splits, long leakingPatients) {
        page.section("Splits");
        List<List<String>> rows = new ArrayList<>();
        for (SliceStats.SplitSummary s : splits) {
            rows.add(List.of(s.split(), ReportPage.count(s.slices()), ReportPage.count(s.patients()), ReportPage.count(s.studies()),
                    ReportPage.count(s.series()), ReportPage.count(s.empty()), ReportPage.count(s.labelled())));
        }
        page.table(List.of("split", "slices", "patients", "studies", "series", "empty slices", "labelled slices"), rows);
        if (leakingPatients == 0) {
            page.ok("Check passed: no patient in two splits.");
        } else {
            page.warning("Check failed: " + ReportPage.count(leakingPatients) + (leakingPatients == 1 ? " patient has" : " patients have")
                    + " slices in more than one split, so evaluation sees patients that training saw. Splits must be assigned per patient.");
        }
    }

    private static void labelsSection(ReportPage page, ReportFiles files, List<SliceStats.SplitSummary> splits, SliceStats stats) {
        page.section("Labels");
        SliceStats.SplitSummary all = splits.get(splits.size() - 1);
        if (all.labelled() == 0) {
            page.note("No labels: every label column is null, as the ETL ran without a label CSV (ich.etl.labels). "
                    + "Prevalence and co-occurrence need labels; rerun ich etl with ich.etl.labels set.");
            return;
        }
        if (all.labelled() < all.slices()) {
            page.note("Only " + ReportPage.count(all.labelled()) + " of " + ReportPage.count(all.slices())
                    + " slices have labels; the shares below are of labelled slices.");
        }
        List<String> header = new ArrayList<>(List.of("label", "positive slices"));
        for (SliceStats.SplitSummary s : splits) header.add("share " + s.split());
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < SliceTable.LABELS.size(); i++) {
            List<String> row = new ArrayList<>(List.of(SliceTable.LABELS.get(i), ReportPage.count(all.positives().get(i))));
            for (SliceStats.SplitSummary s : splits) row.add(ReportPage.percent(s.positives().get(i), s.labelled()));
            rows.add(row);
        }
        page.table(header, rows);
        page.chart(files.chart("label-any.png", Charts.anyPrevalence(splits), CHART_W, CHART_H),
                "share of labelled slices positive for any hemorrhage, per split", CHART_W, CHART_H);
        page.chart(files.chart("label-subtypes.png", Charts.subtypePrevalence(splits), CHART_W, CHART_H),
                "share of labelled slices positive for each subtype, per split", CHART_W, CHART_H);

        SliceStats.CoOccurrence co = stats.coOccurrence();
        page.paragraph("Co-occurrence: slices positive for both the row's and the column's subtype (the diagonal: for the "
                + "subtype at all). " + ReportPage.count(co.multiSubtype()) + (co.multiSubtype() == 1 ? " slice has" : " slices have")
                + " more than one subtype.");
        page.heatmap(SliceStats.SUBTYPES, co.counts());
    }

    private static void quirksSection(ReportPage page, SliceStats stats, SliceStats.SplitSummary all) {
        page.section("Pixel encoding and scanners");
        page.paragraph("Slices by pixel encoding. \"Intercept fixed\" marks the RSNA bad-intercept group (BitsStored 12, "
                + "unsigned, intercept above -100): HU stored wrapped at 4096, which the ETL shifted back before applying "
                + "intercept -1000.");
        List<List<String>> rows = new ArrayList<>();
        for (SliceStats.Group g : stats.quirkGroups(QUIRK_GROUPS)) {
            List<String> row = new ArrayList<>(g.key());
            row.addAll(List.of(ReportPage.count(g.slices()), ReportPage.count(g.series()), ReportPage.percent(g.slices(), all.slices())));
            rows.add(row);
        }
        page.table(List.of("bits stored", "pixel representation", "intercept fixed", "slices", "series", "share of slices"), rows);

        rows = new ArrayList<>();
        long shown = 0;
        List<SliceStats.Group> makers = stats.manufacturers(MANUFACTURERS);
        for (SliceStats.Group g : makers) {
            rows.add(List.of(g.key().get(0), ReportPage.count(g.slices()), ReportPage.count(g.series()),
                    ReportPage.percent(g.slices(), all.slices())));
            shown += g.slices();
        }
        if (makers.size() == MANUFACTURERS) {
            long more = stats.manufacturerCount() - makers.size();
            if (more > 0) {
                rows.add(List.of(ReportPage.count(more) + " other manufacturers", ReportPage.count(all.slices() - shown), "",
                        ReportPage.percent(all.slices() - shown, all.slices())));
            }
        }
        page.table(List.of("manufacturer", "slices", "series", "share of slices"), rows);
    }

    private void brainFractionSection(ReportPage page, ReportFiles files, SliceStats.Histogram h, SliceStats.SplitSummary all) {
        page.section("Brain-window fraction and empty slices");
        page.chart(files.chart("brain-fraction.png", Charts.brainFraction(h, cfg.emptyThreshold()), CHART_W, CHART_H),
                "histogram of the share of brain-window pixels per slice, with the empty threshold", CHART_W, CHART_H);
        page.paragraph("Empty threshold (ich.etl.empty-threshold): " + cfg.emptyThreshold() + ". Slices flagged is_empty: "
                + ReportPage.count(h.flaggedEmpty()) + " of " + ReportPage.count(all.slices()) + " ("
                + ReportPage.percent(h.flaggedEmpty(), all.slices()) + ").");
        if (h.belowThreshold() != h.flaggedEmpty()) {
            page.note(ReportPage.count(h.belowThreshold()) + " slices fall below the configured threshold but "
                    + ReportPage.count(h.flaggedEmpty()) + " are flagged: the ETL ran with a different ich.etl.empty-threshold.");
        }
    }

    private static void samplesSection(ReportPage page, ReportFiles files, List<SamplePicker.Sample> samples, TensorSpec spec) {
        page.section("Sample slices");
        if (samples.isEmpty()) {
            page.note("No samples requested (ich.explore.samples = 0).");
            return;
        }
        boolean labelled = samples.stream().anyMatch(SamplePicker.Sample::labelled);
        page.paragraph("Each stored tensor channel as an image (0 = window low, 255 = window high). " + (labelled
                ? "Positives of different subtypes first, then negatives." : "The table has no labels: non-empty slices first."));
        for (SamplePicker.Sample s : samples) {
            String caption = caption(s);
            if (!TensorImages.consistent(s.tensor(), s.channels(), s.size())) {
                page.note(caption + ": its tensor holds " + (s.tensor() == null ? 0 : s.tensor().length) + " bytes, not "
                        + s.channels() + " x " + s.size() + " x " + s.size() + "; not shown.");
                continue;
            }
            List<String> sources = new ArrayList<>(), captions = new ArrayList<>();
            for (int c = 0; c < s.channels(); c++) {
                String name = String.format("sample-%02d-channel-%d.png", s.number(), c);
                sources.add(files.png(name, TensorImages.channel(s.tensor(), c, s.size())));
                captions.add(spec.channelName(c, s.channels()));
            }
            page.sample(caption, sources, captions);
        }
    }

    private static String caption(SamplePicker.Sample s) {
        String labels;
        if (!s.labelled()) labels = "unlabelled";
        else if (s.labels().get(0) == 0) labels = "negative";
        else labels = "positive: " + (s.positiveSubtypes().isEmpty() ? "any (no subtype)" : String.join(", ", s.positiveSubtypes()));
        return "Sample " + s.number() + " \u00b7 " + s.split() + " \u00b7 " + labels + " \u00b7 brain fraction "
                + String.format(Locale.ROOT, "%.3f", s.brainFraction()) + (s.empty() ? " \u00b7 empty" : "");
    }

    private void quarantineSection(ReportPage page) {
        page.section("Quarantine");
        String table = cfg.common().table(QuarantineTable.NAME);
        if (!spark.catalog().tableExists(table)) {
            page.note("No quarantine table in this namespace.");
            return;
        }
        List<Row> reasons = spark.table(table).groupBy("reason").agg(count(lit(1)).alias("files"))
                .orderBy(desc("files"), asc("reason")).collectAsList();
        if (reasons.isEmpty()) {
            page.ok("No file was quarantined.");
            return;
        }
        long total = reasons.stream().mapToLong(r -> r.getLong(1)).sum();
        List<List<String>> rows = new ArrayList<>();
        for (Row r : reasons) {
            rows.add(List.of(r.getString(0), meaning(r.getString(0)), ReportPage.count(r.getLong(1)), ReportPage.percent(r.getLong(1), total)));
        }
        page.paragraph(ReportPage.count(total) + " files could not become slices (the quarantine table's message column says why, file by file).");
        page.table(List.of("reason", "meaning", "files", "share"), rows);
    }

    /** The documented meaning of a reason; a reason a newer ETL wrote that this build does not know stays blank. */
    private static String meaning(String reason) {
        for (QuarantineReason q : QuarantineReason.values()) if (q.name().equals(reason)) return q.meaning();
        return "";
    }
}
