package org.ich.score.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.domain.Labels;
import org.ich.etl.LabelId;
import org.ich.etl.PrivacyConfig;
import org.ich.etl.job.CrosswalkTable;
import org.ich.etl.job.SliceTable;
import org.ich.score.ModelChoice;
import org.ich.score.job.PredictionTable;
import org.ich.spark.IchSpark;
import org.ich.spark.Storage;
import org.ich.train.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ich export --format rsna-submission}: a version's predictions as the RSNA 2019 challenge's submission CSV
 * ({@code ID,Label} with rows {@code ID_<SOPInstanceUID>_<label>,<probability>}, six rows per slice), so a user holding
 * the challenge's test set can score it as the leaderboard did. The IDs are SOPInstanceUIDs by definition while the
 * predictions table holds slice keys, so this is one of the few jobs that reads the crosswalk of original identifiers
 * ({@code ich.privacy.crosswalk.*}); the CSV it writes holds them, and belongs where the challenge data does.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model version's predictions; --format rsna-submission writes the RSNA 2019 Kaggle CSV"
                + " (ID_<SOPInstanceUID>_<label>,Label) of the slices it scored (of ich.export.split if set); the UIDs come"
                + " from the crosswalk (ich.privacy.crosswalk.*), which it must be able to read.")
public final class ExportCommand implements IchCommand {
    public static final String RSNA_SUBMISSION = "rsna-submission";

    @Mixin
    ConfOptions conf;

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "rsna-submission")
    String format;

    @Option(names = "--model", paramLabel = "VERSION", description = "overrides ich.export.model (champion or a version id)")
    String model;

    @Option(names = "--out", paramLabel = "URI", description = "overrides ich.export.out")
    String out;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new ExportCommand(), args));
    }

    @Override
    public Integer call() {
        if (!RSNA_SUBMISSION.equals(format)) {
            throw new UserError("--format " + format + " is not known; the one format is " + RSNA_SUBMISSION);
        }
        List<String> extra = new ArrayList<>();
        if (model != null) extra.add(ConfOptions.stringOverride("ich.export.model", model));
        if (out != null) extra.add(ConfOptions.stringOverride("ich.export.out", out));
        Settings s = conf.settings(extra);
        ExportConfig cfg = ExportConfig.from(s);
        CommonConfig common = cfg.common();
        URI file = cfg.out();
        String split = cfg.split();
        ModelRegistry registry = ModelRegistry.from(s);
        try (SparkSession spark = IchSpark.session(common, "ich-export")) {
            String id = ModelChoice.version(registry, cfg.model()).id();
            long rows = rsnaSubmission(spark, common, PrivacyConfig.Crosswalk.from(s), id, split, Storage.of(common), file);
            System.out.println("export: " + rows + " rows (" + rows / Labels.NAMES.size() + " slices) of model " + id
                    + " written to " + file);
        }
        return 0;
    }

    /** Writes the CSV, rows ordered by ID; returns how many rows (not counting the header). */
    static long rsnaSubmission(SparkSession spark, CommonConfig common, PrivacyConfig.Crosswalk crosswalk, String version,
                               String split, Storage storage, URI file) {
        Dataset<Row> scored = spark.table(common.table(PredictionTable.NAME)).where(col("model_version").equalTo(lit(version)));
        if (!split.isEmpty()) {
            Dataset<Row> inSplit = spark.table(common.table(SliceTable.NAME)).where(col("split").equalTo(lit(split)))
                    .select(SliceTable.KEY);
            scored = scored.join(inSplit, SliceTable.KEY, "left_semi");
        }
        // The challenge's ID is "ID_" + the UID without its own "ID_" (the RSNA files' UIDs start with one), which is
        // the label CSV's convention (LabelId) too. Duplicate files of one instance share a UID, hence distinct.
        UserDefinedFunction rsnaUid = udf((UDF1<String, String>) LabelId::sopKey, DataTypes.StringType);
        Dataset<Row> originals = CrosswalkTable.read(spark, crosswalk, "ich export --format " + RSNA_SUBMISSION)
                .where(col(SliceTable.KEY).isNotNull().and(col("sop_instance_uid").isNotNull()))
                .select(col(SliceTable.KEY), rsnaUid.apply(col("sop_instance_uid")).as("rsna_uid")).distinct();
        long unknown = scored.join(originals, SliceTable.KEY, "left_anti").count();
        if (unknown > 0) {
            throw new UserError(unknown + " slices scored by model " + version + " have no row in the crosswalk "
                    + crosswalk.table() + " (ich.privacy.crosswalk.*), so their RSNA IDs are unknown; point the setting at"
                    + " the crosswalk the ETL of these slices wrote");
        }
        scored = scored.join(originals, SliceTable.KEY);
        Dataset<Row> rows = null;
        for (String label : Labels.NAMES) {
            Dataset<Row> one = scored.where(col("p_" + label).isNotNull()).select(
                    concat(lit("ID_"), col("rsna_uid"), lit("_" + label)).as("id"),
                    format_string("%.6f", col("p_" + label)).as("label"));
            rows = rows == null ? one : rows.unionAll(one);
        }
        rows = rows.orderBy("id");
        long n = 0;
        try (OutputStream o = storage.create(file)) {
            o.write("ID,Label\n".getBytes(StandardCharsets.US_ASCII));
            for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); n++) {
                Row r = it.next();
                o.write((r.getString(0) + "," + r.getString(1) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        if (n == 0) throw new UserError("model " + version + " has scored no slices" + (split.isEmpty() ? "" : " of split "
                + split) + "; score them with `ich score --model " + version + "` first");
        return n;
    }
}
