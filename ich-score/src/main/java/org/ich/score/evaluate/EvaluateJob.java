package org.ich.score.evaluate;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.domain.Labels;
import org.ich.score.ModelChoice;
import org.ich.score.ScoringModel;
import org.ich.score.job.ScoreJob;
import org.ich.score.job.StudyPredictionTable;
import org.ich.train.data.PinnedSlices;
import org.ich.train.evaluation.Case;
import org.ich.train.evaluation.Evaluation;
import org.ich.train.evaluation.EvaluationRow;
import org.ich.train.evaluation.Interval;
import org.ich.train.evaluation.OperatingPoint;
import org.ich.train.evaluation.PointResult;
import org.ich.train.evaluation.Strata;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;

/**
 * {@code ich evaluate}: the version scores the split's slices it has not scored yet (both stages, as {@code ich score}
 * does), its predictions meet the labels, and the figures go to the {@code evaluations} table. On the valid split the
 * study-level operating points are chosen and stored in the version's manifest, and study_predictions is flagged at
 * the primary one. The figures themselves are pure code ({@link Evaluation}) over one row per labelled slice, which
 * the driver holds: a few numbers per slice, a few MB for a hospital's validation set.
 */
public final class EvaluateJob {
    private final SparkSession spark;
    private final EvaluateConfig cfg;
    private final ModelRegistry registry;
    private final PrintStream out;

    public EvaluateJob(SparkSession spark, EvaluateConfig cfg, ModelRegistry registry, PrintStream out) {
        this.spark = spark;
        this.cfg = cfg;
        this.registry = registry;
        this.out = out;
    }

    /** What one evaluation measured; {@code manifest} is the version's, with its operating points. */
    public record Result(String version, String split, long slices, List<EvaluationRow> rows, Manifest manifest) {
        /** The row of the whole split at {@code level} for {@code label}. */
        public EvaluationRow overall(String level, String label) {
            EvaluationRow row = EvaluateJob.overall(rows, level, label);
            if (row == null) throw new IllegalStateException("no " + level + " row for " + label + " over the whole split");
            return row;
        }

        /** The primary operating point at study level, if the version has one. */
        public Optional<PointResult> primary() {
            List<PointResult> points = overall(Evaluation.STUDY, Labels.NAMES.get(Labels.ANY)).points();
            return points.isEmpty() ? Optional.empty() : Optional.of(points.get(0));
        }

        /** The figures a run summary leads with. */
        public Map<String, Object> headline() {
            Map<String, Object> h = new LinkedHashMap<>();
            EvaluationRow any = overall(Evaluation.STUDY, Labels.NAMES.get(Labels.ANY));
            h.put("version", version);
            h.put("split", split);
            h.put("studies", any.count());
            h.put("positive_studies", any.positives());
            h.put("study_auc_any", any.auc());
            h.put("study_auc_any_low", any.aucCi().low());
            h.put("study_auc_any_high", any.aucCi().high());
            primary().ifPresent(p -> {
                h.put("operating_point", p.point().name());
                h.put("threshold", p.point().threshold());
                h.put("sensitivity", p.confusion().sensitivity());
                h.put("sensitivity_low", p.confusion().sensitivityCi().low());
                h.put("sensitivity_high", p.confusion().sensitivityCi().high());
                h.put("specificity", p.confusion().specificity());
                h.put("specificity_low", p.confusion().specificityCi().low());
                h.put("specificity_high", p.confusion().specificityCi().high());
            });
            return h;
        }
    }

    /** The row of the whole split at {@code level} for {@code label}, or null when {@code rows} has none. */
    public static EvaluationRow overall(List<EvaluationRow> rows, String level, String label) {
        return rows.stream().filter(r -> r.level().equals(level) && r.label().equals(label)
                && r.stratumKind().equals(Strata.ALL)).findFirst().orElse(null);
    }

    public Result run() {
        ScoringModel model = ModelChoice.resolve(registry, cfg.model());
        ModelVersion version = registry.find(model.version()).orElseThrow();
        Manifest manifest = registry.readManifest(version);
        if (model.outputs() != Labels.NAMES.size()) {
            throw new UserError("version " + version.id() + " predicts " + String.join(",", model.labels())
                    + "; evaluation needs all six labels (ich.train.head = six)");
        }
        out.printf("evaluate: version %s on split %s%n", version.id(), cfg.split());
        ScoreJob scoring = new ScoreJob(spark, cfg.scoring().unscoredIn(version.id(), cfg.split()), model, out);
        // On valid the operating point about to be chosen moves the flags: the heatmaps follow the new ones.
        (cfg.choosesOperatingPoints() ? scoring.withoutHeatmaps() : scoring).run();

        long snapshot = PinnedSlices.read(spark, cfg.common()).snapshotId();
        List<Case> cases = LabelledPredictions.read(spark, cfg.common(), version.id(), cfg.split());
        boolean choosing = cfg.choosesOperatingPoints() && positiveStudies(cases);
        if (cfg.choosesOperatingPoints() && !choosing) {
            out.println("evaluate: no study of split valid has a haemorrhage, so no operating point can be chosen;"
                    + " the version keeps flagging at ich.score.threshold");
        }
        List<OperatingPoint> points = choosing ? Evaluation.choose(cases, cfg.targets()) : stored(manifest);
        List<EvaluationRow> rows = Evaluation.compute(cases, points, cfg.options());
        EvaluationTable.replace(spark, cfg.common(), version.id(), cfg.split(), rows, cfg.options().replicates(),
                cfg.options().seed(), snapshot, Timestamp.from(Instant.now()));
        Result result = new Result(version.id(), cfg.split(), cases.size(), rows, manifest);
        if (choosing) {
            Manifest evaluated = manifest.toBuilder().operatingPoints(measured(result)).build();
            registry.writeManifest(version, evaluated);
            result = new Result(version.id(), cfg.split(), cases.size(), rows, evaluated);
            Manifest.OperatingPoint primary = evaluated.operatingPoints().get(0);
            StudyPredictionTable.refreshMapped(spark, cfg.common(), model.flaggingAt(primary.name(), primary.threshold()),
                    cfg.scoring().threshold(), new StudyPredictionTable.Flag(primary.name(), primary.threshold()), out);
        } else if (points.isEmpty() && !cfg.choosesOperatingPoints()) {
            out.println("evaluate: version " + version.id() + " has no operating points yet; `ich evaluate --split valid`"
                    + " chooses them");
        }
        print(result);
        return result;
    }

    private static boolean positiveStudies(List<Case> cases) {
        return cases.stream().anyMatch(c -> c.labels()[Labels.ANY] == 1);
    }

    private static List<OperatingPoint> stored(Manifest manifest) {
        List<OperatingPoint> points = new ArrayList<>();
        for (Manifest.OperatingPoint p : manifest.operatingPoints()) {
            points.add(new OperatingPoint(p.name(), p.targetSensitivity(), p.threshold()));
        }
        return points;
    }

    /** The chosen points with what they measured on the valid studies, for the manifest and promotion. */
    private static List<Manifest.OperatingPoint> measured(Result result) {
        EvaluationRow any = result.overall(Evaluation.STUDY, Labels.NAMES.get(Labels.ANY));
        List<Manifest.OperatingPoint> points = new ArrayList<>();
        for (PointResult p : any.points()) {
            points.add(new Manifest.OperatingPoint(p.point().name(), p.point().targetSensitivity(), p.point().threshold(),
                    p.confusion().sensitivity(), p.confusion().specificity(), any.count(), any.positives()));
        }
        return points;
    }

    private void print(Result r) {
        EvaluationRow slice = r.overall(Evaluation.SLICE, Labels.NAMES.get(Labels.ANY));
        EvaluationRow study = r.overall(Evaluation.STUDY, Labels.NAMES.get(Labels.ANY));
        out.printf(Locale.ROOT, "evaluate: %d slices, %d studies (%d with haemorrhage); weighted log loss %.4f (slices);"
                        + " AUC(any) slices %s, studies %s; ECE(any) slices %.3f%n", slice.count(), study.count(),
                study.positives(), slice.weightedLogLoss(), withCi(slice.auc(), slice.aucCi()), withCi(study.auc(), study.aucCi()),
                slice.ece());
        for (PointResult p : study.points()) {
            out.printf(Locale.ROOT, "evaluate: operating point %s (target sensitivity %.2f): threshold %.4f, sensitivity %s,"
                            + " specificity %s, PPV %s, NPV %s (TP %d FP %d TN %d FN %d)%n", p.point().name(),
                    p.point().targetSensitivity(), p.point().threshold(), pct(p.confusion().sensitivity(), p.confusion().sensitivityCi()),
                    pct(p.confusion().specificity(), p.confusion().specificityCi()), pct(p.confusion().ppv(), p.confusion().ppvCi()),
                    pct(p.confusion().npv(), p.confusion().npvCi()), p.confusion().tp(), p.confusion().fp(), p.confusion().tn(),
                    p.confusion().fn());
        }
        out.println("evaluate: " + r.rows().size() + " rows in " + cfg.common().table(EvaluationTable.NAME)
                + " (model_version = '" + r.version() + "', split = '" + r.split() + "')");
    }

    static String withCi(double v, Interval ci) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", v, ci.low(), ci.high());
    }

    static String pct(double v, Interval ci) {
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * v, 100 * ci.low(), 100 * ci.high());
    }
}
