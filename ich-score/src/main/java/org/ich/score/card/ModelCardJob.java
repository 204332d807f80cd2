package org.ich.score.card;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.etl.job.PinnedTable;
import org.ich.etl.job.SliceTable;
import org.ich.score.card.ModelCardData.Estimate;
import org.ich.score.card.ModelCardData.LabelEvaluation;
import org.ich.score.card.ModelCardData.LevelEvaluation;
import org.ich.score.card.ModelCardData.ReliabilityBin;
import org.ich.score.card.ModelCardData.SplitCounts;
import org.ich.score.card.ModelCardData.Stratum;
import org.ich.score.ModelChoice;
import org.ich.score.evaluate.EvaluateConfig;
import org.ich.score.evaluate.EvaluateJob;
import org.ich.score.evaluate.EvaluationTable;
import org.ich.score.evaluate.LabelledPredictions;
import org.ich.synth.SyntheticMarker;
import org.ich.train.evaluation.Calibration;
import org.ich.train.evaluation.Case;
import org.ich.train.evaluation.Confusion;
import org.ich.train.evaluation.Evaluation;
import org.ich.train.evaluation.EvaluationRow;
import org.ich.train.evaluation.Interval;
import org.ich.train.evaluation.PointResult;
import org.ich.train.evaluation.Strata;
import org.ich.train.evaluation.Studies;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.VersionFolder;

/**
 * {@code ich model-card}: gathers a version's {@link ModelCardData} (manifest, split counts from the slices table,
 * training curves, the evaluations table's rows for valid and, when present, test; ROC points from the labelled
 * predictions) and writes the card into the version's own folder, {@code <registry>/<version>/model-card/index.html},
 * where {@code ich models} finds it. A version not evaluated on valid yet is evaluated first.
 */
public final class ModelCardJob {
    /** The card's folder inside the version folder. */
    public static final String FOLDER = ModelVersion.MODEL_CARD;
    /** Training curves {@code ich train} draws into the version folder, copied into the card's folder. */
    static final List<String> CURVES = List.of(ModelVersion.PLOTS + "/loss.png", ModelVersion.PLOTS + "/auc.png");
    private static final List<String> SPLITS = List.of("train", EvaluateConfig.VALID, "test");

    private final SparkSession spark;
    private final CommonConfig common;
    private final EvaluateConfig evaluation;
    private final ModelRegistry registry;
    private final PrintStream out;

    /** {@code evaluation} is how a version without an evaluation on valid is evaluated first. */
    public ModelCardJob(SparkSession spark, EvaluateConfig evaluation, ModelRegistry registry, PrintStream out) {
        this.spark = spark;
        this.common = evaluation.common();
        this.evaluation = evaluation;
        this.registry = registry;
        this.out = out;
    }

    /** Where the card was written, for which version. */
    public record Result(String version, URI index, boolean evaluatedFirst) {
    }

    /** Writes the card of {@code model} ("champion" or a version id). */
    public Result write(String model) {
        ModelVersion version = ModelChoice.version(registry, model);
        boolean evaluatedFirst = false;
        List<EvaluationRow> valid = EvaluationTable.read(spark, common, version.id(), EvaluateConfig.VALID);
        if (valid.isEmpty()) {
            out.println("model-card: version " + version.id() + " has no evaluation on split valid yet; running"
                    + " `ich evaluate --split valid` first");
            new EvaluateJob(spark, evaluation.of(version.id(), EvaluateConfig.VALID), registry, out).run();
            valid = EvaluationTable.read(spark, common, version.id(), EvaluateConfig.VALID);
            evaluatedFirst = true;
        }
        Manifest manifest = registry.readManifest(version);
        List<EvaluationRow> test = EvaluationTable.read(spark, common, version.id(), "test");

        VersionFolder folder = registry.folder(version);
        List<String> curves = copyCurves(folder);
        List<LevelEvaluation> levels = new ArrayList<>(levels(valid, version.id(), EvaluateConfig.VALID, ""));
        if (!test.isEmpty()) levels.addAll(levels(test, version.id(), "test", " (test)"));
        EvaluationRow studyAny = EvaluateJob.overall(valid, Evaluation.STUDY, Labels.NAMES.get(Labels.ANY));
        List<ModelCardData.OperatingPoint> points = new ArrayList<>();
        if (studyAny != null) {
            for (PointResult p : studyAny.points()) points.add(point(p));
        }
        Dataset<Row> slices = PinnedTable.read(spark, common.table(SliceTable.NAME));
        // SoftwareVersions is a column of its own: header_json keeps coded and numeric attributes only.
        long synthetic = slices.where(col("software_versions").equalTo(lit(SyntheticMarker.SOFTWARE_VERSIONS))).count();
        Manifest.Input in = manifest.input();
        ModelCardData data = new ModelCardData(version.id(), manifest.created(), manifest.finished(), manifest.architecture(),
                in == null ? null : new ModelCardData.Input(in.channels(), in.size(), in.windows()), manifest.head(),
                context(manifest.context()), manifest.trainingConfig() == null ? null : manifest.trainingConfig().toString(),
                manifest.slicesSnapshotId(), synthetic > 0, splitCounts(slices), curves, levels, points, strata(valid));
        URI index = new ModelCard(registry.storage(), folder.uri(FOLDER)).write(data);
        out.println("model-card: version " + version.id() + (synthetic > 0 ? " (" + synthetic
                + " slices marked synthetic by ich synth)" : "") + ": " + index);
        return new Result(version.id(), index, evaluatedFirst);
    }

    /** The training curves the version folder holds, copied into the card's folder under the same names. */
    private List<String> copyCurves(VersionFolder folder) {
        List<String> names = new ArrayList<>();
        for (String curve : CURVES) {
            try {
                Optional<byte[]> png = folder.read(curve);
                if (png.isEmpty()) continue;
                folder.replace(FOLDER + "/" + curve, png.get());
                names.add(curve);
            } catch (IOException e) {
                throw new IllegalStateException("could not copy " + folder.uri(curve) + " into the model card", e);
            }
        }
        return names;
    }

    /** Patients, studies, slices and positive slices per label of every split present. */
    private static List<SplitCounts> splitCounts(Dataset<Row> slices) {
        List<Column> aggs = new ArrayList<>(List.of(countDistinct("study_key"), org.apache.spark.sql.functions.count(lit(1))));
        for (String c : Labels.LABEL_COLUMNS) aggs.add(sum(when(col(c).equalTo(1), 1L).otherwise(0L)));
        Map<String, Row> bySplit = new LinkedHashMap<>();
        for (Row r : slices.groupBy("split").agg(countDistinct("patient_key"), aggs.toArray(Column[]::new)).collectAsList()) {
            bySplit.put(r.isNullAt(0) ? "unassigned" : r.getString(0), r);
        }
        List<String> order = new ArrayList<>(SPLITS);
        bySplit.keySet().stream().filter(s -> !order.contains(s)).sorted().forEach(order::add);
        List<SplitCounts> counts = new ArrayList<>();
        for (String split : order) {
            Row r = bySplit.get(split);
            if (r == null) continue;
            Map<String, Long> positives = new LinkedHashMap<>();
            for (int i = 0; i < Labels.COUNT; i++) positives.put(Labels.NAMES.get(i), r.getLong(4 + i));
            counts.add(new SplitCounts(split, r.getLong(1), r.getLong(2), r.getLong(3), positives));
        }
        return counts;
    }

    /** Per level, every label's overall figures with its ROC points from the labelled predictions. */
    private List<LevelEvaluation> levels(List<EvaluationRow> rows, String version, String split, String suffix) {
        List<Case> slices = LabelledPredictions.read(spark, common, version, split);
        Map<String, List<Case>> cases = Map.of(Evaluation.SLICE, slices, Evaluation.STUDY, Studies.rollup(slices));
        List<LevelEvaluation> levels = new ArrayList<>();
        for (String level : Evaluation.LEVELS) {
            List<LabelEvaluation> labels = new ArrayList<>();
            double weighted = Double.NaN;
            for (int j = 0; j < Labels.COUNT; j++) {
                EvaluationRow r = EvaluateJob.overall(rows, level, Labels.NAMES.get(j));
                if (r == null) continue;
                weighted = r.weightedLogLoss();
                List<Case> at = cases.get(level);
                double[] p = new double[at.size()];
                int[] y = new int[at.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = at.get(i).probs()[j];
                    y[i] = at.get(i).labels()[j];
                }
                RocPoints roc = RocPoints.of(p, y);
                List<ReliabilityBin> bins = new ArrayList<>();
                for (Calibration.Bin b : r.reliability()) bins.add(new ReliabilityBin(b.meanPredicted(), b.observed(), b.count()));
                labels.add(new LabelEvaluation(r.label(), r.count(), r.positives(), estimate(r.auc(), r.aucCi()), r.logLoss(),
                        r.ece(), roc.fpr(), roc.tpr(), bins));
            }
            if (!labels.isEmpty()) levels.add(new LevelEvaluation(level + suffix, weighted, labels));
        }
        return levels;
    }

    /** The "any" rows of every stratum but the whole split, both levels, with the primary point's sensitivity. */
    private static List<Stratum> strata(List<EvaluationRow> rows) {
        List<Stratum> strata = new ArrayList<>();
        for (String level : Evaluation.LEVELS) {
            for (EvaluationRow r : rows) {
                if (!r.level().equals(level) || !r.label().equals(Labels.NAMES.get(Labels.ANY))
                        || r.stratumKind().equals(Strata.ALL)) continue;
                Estimate sensitivity = r.points().isEmpty() ? Estimate.UNKNOWN
                        : estimate(r.points().get(0).confusion().sensitivity(), r.points().get(0).confusion().sensitivityCi());
                strata.add(new Stratum(level, r.stratumKind(), r.stratumValue(), r.count(), r.positives(),
                        estimate(r.auc(), r.aucCi()), sensitivity));
            }
        }
        return strata;
    }

    private static ModelCardData.OperatingPoint point(PointResult p) {
        Confusion c = p.confusion();
        return new ModelCardData.OperatingPoint(p.point().name(), p.point().targetSensitivity(), p.point().threshold(),
                estimate(c.sensitivity(), c.sensitivityCi()), estimate(c.specificity(), c.specificityCi()),
                estimate(c.ppv(), c.ppvCi()), estimate(c.npv(), c.npvCi()), c.tp(), c.fp(), c.tn(), c.fn());
    }

    private static Estimate estimate(double value, Interval ci) {
        return new Estimate(value, ci.low(), ci.high());
    }

    private static String context(Manifest.Context c) {
        if (c == null) return null;
        return c.kind() + ", " + c.hidden() + " hidden units over " + c.embedding() + "-wide slice embeddings ("
                + c.views() + "), " + c.epochs() + " epochs";
    }
}
