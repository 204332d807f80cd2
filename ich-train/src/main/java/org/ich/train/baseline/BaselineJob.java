package org.ich.train.baseline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.domain.Split;

/**
 * A random forest on header columns only ({@link HeaderFeatures}) predicting label_any: fitted on split "train",
 * scored by ROC AUC on split "valid". The split is per patient (the ETL assigns it), so no patient is on both sides.
 */
public final class BaselineJob {
    static final String TRAIN = Split.TRAIN;
    static final String VALID = Split.VALID;
    /** Spark's default number of bins; raised when there are more manufacturers than that. */
    private static final int DEFAULT_MAX_BINS = 32;

    private final SparkSession spark;
    private final BaselineConfig cfg;

    public BaselineJob(SparkSession spark, BaselineConfig cfg) {
        this.spark = spark;
        this.cfg = cfg;
    }

    public BaselineResult run() {
        String table = cfg.common().table("slices");
        Dataset<Row> rows = HeaderFeatures.select(slices(table)).filter(col("split").isin(TRAIN, VALID)).cache();
        try {
            Map<String, long[]> counts = counts(rows);
            BaselineResult.SplitCounts train = usable(counts, TRAIN, table);
            BaselineResult.SplitCounts valid = usable(counts, VALID, table);
            long unlabelled = counts.values().stream().mapToLong(c -> c[2]).sum();

            Dataset<Row> labelled = rows.filter(col(HeaderFeatures.LABEL).isNotNull());
            Dataset<Row> trainRows = labelled.filter(col("split").equalTo(TRAIN));
            Dataset<Row> validRows = labelled.filter(col("split").equalTo(VALID));

            StringIndexerModel manufacturers = new StringIndexer().setInputCol(HeaderFeatures.MANUFACTURER)
                    .setOutputCol(HeaderFeatures.MANUFACTURER_INDEX)
                    // A manufacturer seen only in valid gets its own index instead of failing the job.
                    .setHandleInvalid("keep").fit(trainRows);
            List<String> inputs = HeaderFeatures.assembled();
            VectorAssembler assembler = new VectorAssembler().setInputCols(inputs.toArray(String[]::new))
                    .setOutputCol(HeaderFeatures.FEATURES);
            int categories = manufacturers.labelsArray()[0].length + 1;
            RandomForestClassifier forest = new RandomForestClassifier().setLabelCol(HeaderFeatures.LABEL)
                    .setFeaturesCol(HeaderFeatures.FEATURES).setNumTrees(cfg.trees()).setMaxDepth(cfg.maxDepth())
                    .setSeed(cfg.seed()).setMaxBins(Math.max(DEFAULT_MAX_BINS, categories));

            Dataset<Row> trainFeatures = assembler.transform(manufacturers.transform(trainRows));
            RandomForestClassificationModel model = forest.fit(trainFeatures);
            BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator().setLabelCol(HeaderFeatures.LABEL)
                    .setRawPredictionCol("probability").setMetricName("areaUnderROC");
            double trainAuc = auc.evaluate(model.transform(trainFeatures));
            double validAuc = auc.evaluate(model.transform(assembler.transform(manufacturers.transform(validRows))));
            return new BaselineResult(train, valid, unlabelled, trainAuc, validAuc, importances(model.featureImportances(), inputs));
        } finally {
            rows.unpersist();
        }
    }

    private Dataset<Row> slices(String table) {
        try {
            return spark.table(table);
        } catch (Exception e) {
            if (e instanceof AnalysisException) {
                throw new UserError("cannot read table " + table + " (" + e.getMessage().lines().findFirst().orElse("")
                        + "); run `ich etl` first, with the same ich.warehouse, ich.catalog and ich.namespace", e);
            }
            throw e;
        }
    }

    /** split -> {labelled slices, positives, unlabelled slices}, in one pass. */
    private static Map<String, long[]> counts(Dataset<Row> rows) {
        Map<String, long[]> out = new HashMap<>();
        for (Row r : rows.groupBy("split").agg(count(col(HeaderFeatures.LABEL)), sum(col(HeaderFeatures.LABEL)),
                sum(when(col(HeaderFeatures.LABEL).isNull(), 1).otherwise(0))).collectAsList()) {
            out.put(r.getString(0), new long[] {r.getLong(1), r.isNullAt(2) ? 0 : (long) r.getDouble(2), r.getLong(3)});
        }
        return out;
    }

    /** A split the forest can learn from (train) or be scored on (valid): labelled slices of both classes. */
    private static BaselineResult.SplitCounts usable(Map<String, long[]> counts, String split, String table) {
        long[] c = counts.getOrDefault(split, new long[3]);
        BaselineResult.SplitCounts s = new BaselineResult.SplitCounts(c[0], c[1]);
        if (s.slices() == 0) {
            throw new UserError("split '" + split + "' of " + table + " has no labelled slices (" + c[2] + " without label_any): "
                    + "run `ich etl --labels FILE` with the RSNA label CSV, or check ich.etl.split so that '" + split + "' gets patients");
        }
        if (s.positives() == 0 || s.negatives() == 0) {
            throw new UserError("split '" + split + "' of " + table + " has " + s.slices() + " labelled slices, all "
                    + (s.positives() == 0 ? "negative" : "positive") + " for label_any; the baseline needs both classes in "
                    + "'" + TRAIN + "' and '" + VALID + "' (a larger cohort or another ich.etl.split.salt)");
        }
        return s;
    }

    private static Map<String, Double> importances(Vector v, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) out.put(names.get(i), v.apply(i));
        return out;
    }
}
