package org.ich.train.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.domain.Split;
import org.ich.etl.job.SliceTable;
import org.ich.train.data.SliceSample;
import org.ich.train.metrics.LabelMetrics;
import org.ich.train.metrics.LabelScore;
import org.ich.train.metrics.RankAuc;
import org.ich.train.metrics.RsnaMetric;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.VersionFolder;
import org.ich.train.sequence.job.ContextPredictFunction;
import org.ich.train.sequence.job.ContextStage;
import org.ich.train.sequence.job.SeriesRows;
import org.ich.train.sequence.job.SeriesScores;
import org.ich.train.sequence.job.SliceEmbeddingTable;

/**
 * A two-stage version's slice stage against its final (context) outputs on the same valid slices as the rest of
 * {@code ich bench quality} (labelled, non-empty), and per study: AUC(any) of the study's highest slice probability
 * (slice stage) and of its highest series-level "any" (context stage). The slice stage's probabilities are the ones
 * the context stage read (slice_embeddings, test-time views averaged).
 */
record ContextComparison(Stage slice, Stage context, double sliceSeconds, double contextSeconds) {

    record Stage(List<LabelScore> labels, double meanAuc, double loss, double studyAucAny, long studies) {
        static Stage of(double[][] probs, int[][] truth, double[] studyScores, int[] studyLabels) {
            List<LabelScore> labels = LabelMetrics.compute(probs, truth, Labels.NAMES);
            double mean = labels.stream().mapToDouble(LabelScore::auc).filter(a -> !Double.isNaN(a)).average()
                    .orElse(Double.NaN);
            return new Stage(labels, mean, RsnaMetric.weightedLogLoss(probs, truth), RankAuc.of(studyScores, studyLabels),
                    studyScores.length);
        }
    }

    static ContextComparison of(SparkSession spark, CommonConfig common, VersionFolder folder, Manifest manifest,
                                List<SliceSample> validRows, double trainSeconds) throws IOException {
        String version = folder.version().id();
        Dataset<Row> embedded = spark.table(common.table(SliceEmbeddingTable.NAME))
                .where(col("model_version").equalTo(lit(version)).and(col("split").equalTo(lit(Split.VALID))));
        Broadcast<ContextStage> stage = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(ContextStage.read(folder));
        Map<String, double[]> contextP = new HashMap<>();
        Map<String, Double> seriesAny = new HashMap<>();
        for (SeriesScores s : SeriesRows.unlabelled(embedded, Labels.COUNT)
                .mapPartitions(new ContextPredictFunction(stage, 16)).collect()) {
            for (int t = 0; t < s.slices().length; t++) {
                contextP.put(s.slices()[t], s.probabilities()[t]);
                seriesAny.put(s.slices()[t], s.seriesAny());
            }
        }
        Map<String, double[]> sliceP = new HashMap<>();
        Map<String, String> study = new HashMap<>();
        for (Row r : embedded.collectAsList()) {
            double[] p = new double[Labels.COUNT];
            for (int l = 0; l < Labels.COUNT; l++) p[l] = r.<Double>getAs("p_slice_" + Labels.NAMES.get(l));
            sliceP.put(r.getAs(SliceTable.KEY), p);
            study.put(r.getAs(SliceTable.KEY), r.getAs("study_key"));
        }
        int n = validRows.size();
        double[][] slice = new double[n][], context = new double[n][];
        int[][] truth = new int[n][];
        Map<String, double[]> studies = new LinkedHashMap<>(); // study -> {slice max, context max, label}
        for (int i = 0; i < n; i++) {
            String key = validRows.get(i).key();
            slice[i] = sliceP.get(key);
            context[i] = contextP.get(key);
            truth[i] = validRows.get(i).labels();
            double[] st = studies.computeIfAbsent(study.get(key), k -> new double[3]);
            st[0] = Math.max(st[0], slice[i][Labels.ANY]);
            st[1] = Math.max(st[1], seriesAny.get(key));
            st[2] = Math.max(st[2], truth[i][Labels.ANY]);
        }
        double[] studySlice = new double[studies.size()], studyContext = new double[studies.size()];
        int[] studyTruth = new int[studies.size()];
        int j = 0;
        for (double[] st : studies.values()) {
            studySlice[j] = st[0];
            studyContext[j] = st[1];
            studyTruth[j++] = (int) st[2];
        }
        double contextSeconds = manifest.metrics().extra().getOrDefault("context_seconds", Double.NaN);
        return new ContextComparison(Stage.of(slice, truth, studySlice, studyTruth),
                Stage.of(context, truth, studyContext, studyTruth), trainSeconds - contextSeconds, contextSeconds);
    }

    void report(String run, PrintStream out) {
        print(out, run + ".slice_stage", slice);
        print(out, run + ".context_stage", context);
        out.printf("quality.%s.context_loss_ratio_to_slice_stage %.3f%n", run, context.loss() / slice.loss());
        double worst = Double.POSITIVE_INFINITY;
        for (int l = 0; l < Labels.COUNT; l++) {
            double drop = context.labels().get(l).auc() - slice.labels().get(l).auc();
            if (!Double.isNaN(drop)) worst = Math.min(worst, drop);
        }
        out.printf("quality.%s.context_worst_label_auc_change %.3f%n", run, worst);
        out.printf("quality.%s.slice_stage.train_s %.1f%n", run, sliceSeconds);
        out.printf("quality.%s.context_stage.train_s %.1f%n", run, contextSeconds);
        out.flush();
    }

    private static void print(PrintStream out, String name, Stage stage) {
        for (LabelScore label : stage.labels()) out.printf("quality.%s.auc.%s %.3f%n", name, label.label(), label.auc());
        out.printf("quality.%s.mean_auc %.3f%n", name, stage.meanAuc());
        out.printf("quality.%s.weighted_log_loss %.4f%n", name, stage.loss());
        out.printf("quality.%s.study_auc_any %.3f%n", name, stage.studyAucAny());
        out.printf("quality.%s.studies %d%n", name, stage.studies());
    }
}
