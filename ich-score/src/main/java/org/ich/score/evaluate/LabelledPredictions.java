package org.ich.score.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.etl.job.PinnedTable;
import org.ich.etl.job.SliceTable;
import org.ich.score.job.PredictionTable;
import org.ich.train.evaluation.Case;
import org.ich.train.evaluation.Strata;

/**
 * A version's predictions joined with the labelled slices of a split: one {@link Case} per labelled slice, with its
 * strata from the slice's header columns. What {@code ich evaluate} measures and what the model card draws its ROC
 * curves from.
 */
public final class LabelledPredictions {
    private static final int LABEL_AT = 9;

    private LabelledPredictions() {
    }

    /**
     * One case per labelled slice of {@code split} (slices.split, label_any set); every one of them must have a
     * prediction of {@code version} (score them first).
     */
    public static List<Case> read(SparkSession spark, CommonConfig common, String version, String split) {
        List<Column> columns = new ArrayList<>(List.of(col(SliceTable.KEY), col("patient_key"), col("study_key"),
                col("manufacturer"), col("slice_thickness"), col("kvp"), col("intercept_fixed"), col("rows"), col("columns")));
        for (String c : Labels.LABEL_COLUMNS) columns.add(col(c));
        Dataset<Row> labelled = PinnedTable.read(spark, common.table(SliceTable.NAME))
                .where(col("split").equalTo(lit(split)).and(col("label_any").isNotNull()))
                .select(columns.toArray(Column[]::new));
        List<Column> probs = new ArrayList<>(List.of(col(SliceTable.KEY)));
        for (String label : Labels.NAMES) probs.add(col("p_" + label));
        Dataset<Row> predicted = spark.table(common.table(PredictionTable.NAME))
                .where(col("model_version").equalTo(lit(version))).select(probs.toArray(Column[]::new));
        List<Row> rows = labelled.join(predicted, SliceTable.KEY).collectAsList();
        long expected = labelled.count();
        if (rows.isEmpty()) {
            throw new UserError("split " + split + " has no labelled slices to evaluate on (slices.split = '" + split
                    + "' with label_any set); ingest labelled studies with `ich etl` and ich.etl.labels");
        }
        if (rows.size() != expected) {
            throw new IllegalStateException(version + " has predictions for " + rows.size() + " of the " + expected
                    + " labelled slices of split " + split + " after scoring them");
        }
        List<Case> cases = new ArrayList<>(rows.size());
        int probAt = LABEL_AT + Labels.NAMES.size();
        for (Row r : rows) {
            double[] p = new double[Labels.NAMES.size()];
            int[] y = new int[Labels.NAMES.size()];
            for (int j = 0; j < p.length; j++) {
                y[j] = r.isNullAt(LABEL_AT + j) ? 0 : r.getInt(LABEL_AT + j);
                p[j] = r.getDouble(probAt + j);
            }
            Map<String, String> strata = new LinkedHashMap<>();
            strata.put(Strata.MANUFACTURER, Strata.manufacturer(r.isNullAt(3) ? null : r.getString(3)));
            strata.put(Strata.SLICE_THICKNESS, Strata.thicknessBand(r.isNullAt(4) ? null : r.getDouble(4)));
            strata.put(Strata.KVP, Strata.kvpBand(r.isNullAt(5) ? null : r.getDouble(5)));
            strata.put(Strata.PIXEL_ENCODING, Strata.encoding(r.isNullAt(6) ? null : r.getBoolean(6)));
            strata.put(Strata.MATRIX, Strata.matrix(r.isNullAt(7) ? null : r.getInt(7), r.isNullAt(8) ? null : r.getInt(8)));
            cases.add(new Case(r.getString(1), r.getString(2), p, y, strata));
        }
        return cases;
    }
}
