package org.ich.etl.job;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.ich.cli.UserError;
import org.ich.etl.LabelId;
import org.ich.etl.Pseudonyms;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * Reads an RSNA-format label CSV ({@code ID,Label} rows of {@code ID_<SOPInstanceUID>_<label>}) into one row per
 * instance: {@code slice_key} plus the six {@code label_*} columns. Duplicate rows collapse (max, so a 1 wins).
 */
final class LabelTable {
    private LabelTable() {}

    /** One row per labelled slice: {@code slice_key} (the ID's SOPInstanceUID through the ETL's own pseudonym) + labels. */
    static Dataset<Row> read(SparkSession spark, URI csv, Pseudonyms pseudonyms) {
        Dataset<Row> raw;
        try {
            raw = spark.read().option("header", "true").csv(csv.toString());
        } catch (Exception e) {
            throw new UserError("ich.etl.labels: cannot read " + csv + ": " + e.getMessage(), e);
        }
        List<String> cols = Arrays.asList(raw.columns());
        if (!cols.contains("ID") || !cols.contains("Label")) {
            throw new UserError("ich.etl.labels: " + csv + " must have the header ID,Label (RSNA format), found " + cols);
        }
        UserDefinedFunction sliceKey = udf((UDF1<String, String>) idValue -> {
            LabelId parsed = LabelId.parse(idValue);
            return parsed == null ? null : pseudonyms.slice(parsed.sopKey());
        }, DataTypes.StringType).withName("slice_key_of_label_id");
        UserDefinedFunction label = udf((UDF1<String, String>) idValue -> {
            LabelId parsed = LabelId.parse(idValue);
            return parsed == null ? null : parsed.label();
        }, DataTypes.StringType);
        Dataset<Row> parsed = raw
                .withColumn(SliceTable.KEY, sliceKey.apply(col("ID")))
                // Spark resolves column names case-insensitively: "label" would replace the CSV's "Label".
                .withColumn("label_value", col("Label").cast("int"))
                .withColumn("label_name", label.apply(col("ID")))
                .filter(col(SliceTable.KEY).isNotNull());
        List<Column> aggs = new ArrayList<>();
        for (String l : SliceTable.LABELS) aggs.add(max(when(col("label_name").equalTo(l), col("label_value"))).alias("label_" + l));
        return parsed.groupBy(SliceTable.KEY).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    }
}
