package org.ich.score.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.etl.job.LegacyLayout;
import org.ich.etl.job.SliceTable;
import org.ich.report.ReportFiles;
import org.ich.report.ReportPage;
import org.ich.report.TensorImages;
import org.ich.score.job.KeySliceHeatmaps;
import org.ich.score.job.PredictionTable;
import org.ich.score.job.StudyPredictionTable;
import org.ich.train.data.PlaneResizer;
import org.ich.train.model.Heatmap;
import org.ich.spark.Storage;
import org.ich.domain.Labels;

/**
 * {@code ich report}: the studies of one scoring run in triage order, with their per-label probabilities and
 * thumbnails of their top slices, as one HTML page plus PNGs that open from disk. Studies appear under their
 * pseudonymised keys only.
 */
public final class TriageReport {
    private static final int KEY_CHARS = 12;

    private final SparkSession spark;
    private final ReportConfig cfg;

    public TriageReport(SparkSession spark, ReportConfig cfg) {
        this.spark = spark;
        this.cfg = cfg;
    }

    /** The scoring run reported on: its id, model version and start. */
    record Run(String id, String modelVersion, java.sql.Timestamp scoredAt) {
    }

    public URI write() {
        String predictions = cfg.common().table(PredictionTable.NAME);
        if (!spark.catalog().tableExists(predictions)) {
            throw new UserError("table " + predictions + " does not exist; run `ich score` first");
        }
        // Tables from before the PHI boundary hold SOP UIDs where this report expects slice keys: say so, and the fix.
        LegacyLayout.refuse(spark, predictions);
        String studyTable = cfg.common().table(StudyPredictionTable.NAME);
        if (spark.catalog().tableExists(studyTable)) LegacyLayout.refuse(spark, studyTable);
        Run run = run(spark.table(predictions));
        Dataset<Row> studiesOfRun = spark.table(predictions).where(col("run_id").equalTo(lit(run.id())))
                .select("study_key").distinct();
        List<Row> studies = spark.table(studyTable)
                .where(col("model_version").equalTo(lit(run.modelVersion())))
                .join(studiesOfRun, "study_key").orderBy("triage_rank").limit(cfg.studies()).collectAsList();
        long runStudies = studiesOfRun.count();

        URI dir = Storage.child(cfg.out(), run.id());
        ReportFiles files = new ReportFiles(Storage.of(cfg.common()), dir);
        double threshold = studies.isEmpty() ? Double.NaN : studies.get(0).getAs("threshold");
        String point = studies.isEmpty() ? "-" : studies.get(0).getAs("operating_point");
        double flagAt = studies.isEmpty() ? Double.NaN : studies.get(0).getAs("flag_threshold");
        long flagged = studies.stream().filter(r -> Boolean.TRUE.equals(r.getAs("flagged"))).count();
        ReportPage page = new ReportPage("ich triage report", String.format(Locale.ROOT,
                "Scoring run %s with model %s, started %s UTC. %d studies scored in this run; the %d with the highest"
                        + " probability of any haemorrhage are shown, %d of them flagged at operating point %s"
                        + " (p(any) >= %.4f). Slice counts use threshold %.2f.", run.id(), run.modelVersion(),
                run.scoredAt(), runStudies, studies.size(), flagged, point, flagAt, threshold));
        if (StudyPredictionTable.Flag.UNCHOSEN.equals(point)) {
            page.warning("Model " + run.modelVersion() + " has no operating point yet: studies are flagged at the fixed"
                    + " ich.score.threshold. Run `ich evaluate --model " + run.modelVersion() + " --split valid` to choose"
                    + " study-level operating points.");
        }
        page.section("Studies in triage order").table(header(), studies.stream().map(TriageReport::tableRow).toList());
        page.note("Probabilities are the model's per-slice outputs, maximised over each study's slices; \"above\" counts"
                + " the slices whose probability of any haemorrhage exceeds the threshold. Study and patient keys are"
                + " pseudonyms (HMAC of the DICOM identifiers).");
        page.section("Top slices");
        Map<String, Row> tensors = tensors(studies);
        Map<String, Row> heatmaps = heatmaps(run.modelVersion(), tensors.keySet());
        int n = 0;
        for (Row study : studies) {
            n++;
            List<String> sources = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (Map.Entry<String, String> top : topSlices(study).entrySet()) {
                Row slice = tensors.get(top.getKey());
                if (slice == null) continue; // a slice deleted from the table after scoring has no picture
                int size = slice.getAs("tensor_size");
                sources.add(files.png(String.format(Locale.ROOT, "study-%02d-slice-%d.png", n, sources.size() + 1),
                        TensorImages.channel(slice.getAs("tensor"), 0, size)));
                captions.add(top.getValue());
                Row map = heatmaps.get(top.getKey());
                if (map != null && top.getKey().equals(study.getAs(StudyPredictionTable.topSliceKey(Labels.NAMES.get(Labels.ANY))))) {
                    sources.add(files.png(String.format(Locale.ROOT, "study-%02d-heatmap.png", n), overlay(map, slice)));
                    captions.add(String.format(Locale.ROOT, "where it looked: occluding the red-yellow area lowers p(any)"
                            + " by up to %.3f (peak row %d, col %d)", (double) map.getAs("peak_drop"),
                            (int) map.getAs("peak_row"), (int) map.getAs("peak_col")));
                }
            }
            page.sample(String.format(Locale.ROOT, "#%d study %s (patient %s): any %.3f", (int) study.getAs("triage_rank"),
                    shortKey(study.getAs("study_key")), shortKey(study.getAs("patient_key")), (double) study.getAs("max_p_any")),
                    sources, captions);
        }
        files.text("index.html", page.finish("Written by ich report. Thumbnails show the first window of the stored"
                + " tensor (brain, 40/80 HU, by default)."));
        return files.uri("index.html");
    }

    private Run run(Dataset<Row> predictions) {
        Dataset<Row> runs = predictions.groupBy("run_id", "model_version").agg(max("scored_at").as("at"));
        if (cfg.runId() != null) runs = runs.where(col("run_id").equalTo(lit(cfg.runId())));
        List<Row> latest = runs.orderBy(col("at").desc(), col("run_id").desc()).limit(1).collectAsList();
        if (latest.isEmpty()) {
            throw new UserError(cfg.runId() == null ? "table predictions is empty; run `ich score` first"
                    : "ich.report.run-id: no scoring run " + cfg.runId() + " in predictions; see SELECT DISTINCT run_id FROM predictions");
        }
        Row r = latest.get(0);
        return new Run(r.getString(0), r.getString(1), r.getTimestamp(2));
    }

    private static List<String> header() {
        List<String> h = new ArrayList<>(List.of("rank", "flagged", "study", "patient", "slices"));
        h.addAll(Labels.NAMES);
        h.add("slices above (any)");
        return h;
    }

    private static List<String> tableRow(Row s) {
        List<String> cells = new ArrayList<>(List.of(Integer.toString(s.getAs("triage_rank")),
                Boolean.TRUE.equals(s.getAs("flagged")) ? "FLAGGED" : "-", shortKey(s.getAs("study_key")),
                shortKey(s.getAs("patient_key")), Long.toString(s.getAs("slices"))));
        for (String label : Labels.NAMES) {
            Object p = s.getAs("max_p_" + label);
            cells.add(p == null ? "-" : String.format(Locale.ROOT, "%.3f", (Double) p));
        }
        cells.add(String.valueOf((Object) s.getAs("slices_above_any")));
        return cells;
    }

    /**
     * The slices worth a look, by slice key with a caption: the top slice for "any", then the top slice of each subtype
     * whose probability passes the threshold (one picture per slice, captions merged).
     */
    static Map<String, String> topSlices(Row study) {
        double threshold = study.getAs("threshold");
        Map<String, String> out = new LinkedHashMap<>();
        for (String label : Labels.NAMES) {
            Object p = study.getAs("max_p_" + label);
            String slice = study.getAs(StudyPredictionTable.topSliceKey(label));
            if (p == null || slice == null || (!label.equals("any") && (double) p <= threshold)) continue;
            String caption = String.format(Locale.ROOT, "%s %.3f", label, (double) p);
            out.merge(slice, "slice " + study.getAs("top_slice_index_" + label) + ": " + caption, (a, b) -> a + ", " + caption);
        }
        return out;
    }

    /** The stored occlusion maps of these slices by this version (flagged studies' key slices have one). */
    private Map<String, Row> heatmaps(String version, Set<String> slices) {
        Map<String, Row> out = new LinkedHashMap<>();
        String table = cfg.common().table(KeySliceHeatmaps.NAME);
        if (slices.isEmpty() || !spark.catalog().tableExists(table)) return out;
        // Literals of the plan (Spark UI, event logs): slice keys, never SOP UIDs.
        for (Row r : spark.table(table).where(col("model_version").equalTo(lit(version))
                .and(col(SliceTable.KEY).isin(slices.toArray()))).collectAsList()) {
            out.put(r.getAs(SliceTable.KEY), r);
        }
        return out;
    }

    /** The heatmap over the slice's first window, on the map's grid (the network's input size). */
    static BufferedImage overlay(Row map, Row slice) {
        int size = map.getAs("size");
        int channels = slice.getAs("tensor_channels");
        byte[] tensor = PlaneResizer.resize(slice.getAs("tensor"), channels, slice.getAs("tensor_size"), size);
        Heatmap h = new Heatmap(size, KeySliceHeatmaps.drops(map.getAs("drops")), map.getAs("peak_row"),
                map.getAs("peak_col"), map.getAs("p_slice"));
        return h.overlay(tensor, channels, size);
    }

    private Map<String, Row> tensors(List<Row> studies) {
        Set<String> slices = new LinkedHashSet<>();
        for (Row s : studies) slices.addAll(topSlices(s).keySet());
        Map<String, Row> out = new LinkedHashMap<>();
        if (slices.isEmpty()) return out;
        for (Row r : spark.table(cfg.common().table(SliceTable.NAME)).where(col(SliceTable.KEY).isin(slices.toArray()))
                .select(SliceTable.KEY, "tensor", "tensor_channels", "tensor_size").collectAsList()) {
            out.put(r.getString(0), r);
        }
        return out;
    }

    static String shortKey(String key) {
        return key == null ? "-" : key.length() <= KEY_CHARS ? key : key.substring(0, KEY_CHARS);
    }
}
