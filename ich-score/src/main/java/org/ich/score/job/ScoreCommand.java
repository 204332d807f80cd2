package org.ich.score.job;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.job.DicomListing;
import org.ich.etl.job.EtlJob;
import org.ich.etl.job.EtlSummary;
import org.ich.score.ModelChoice;
import org.ich.score.ScoreConfig;
import org.ich.score.ScoringModel;
import org.ich.spark.IchSpark;
import org.ich.spark.Phases;
import org.ich.train.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ich score}: slices -> predictions and study_predictions. Also the main class for spark-submit. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score slices with a registered model (the champion by default): per-slice probabilities of the six"
                + " labels into the predictions table, rolled up per study into study_predictions. With --input, raw DICOM"
                + " files are first ingested by the ETL (unreadable ones go to quarantine).")
public final class ScoreCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--model", paramLabel = "VERSION", description = "overrides ich.score.model (champion or a version id)")
    String model;

    @Option(names = "--input", paramLabel = "URI", description = "overrides ich.score.input (raw DICOM to ingest and score)")
    String input;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new ScoreCommand(), args));
    }

    @Override
    public Integer call() {
        List<String> extra = new ArrayList<>();
        if (model != null) extra.add(ConfOptions.stringOverride("ich.score.model", model));
        if (input != null) extra.add(ConfOptions.stringOverride("ich.score.input", input));
        Settings settings = conf.settings(extra);
        ScoreConfig cfg = ScoreConfig.from(settings);
        EtlConfig etl = cfg.input() == null ? null : EtlConfig.from(settings);
        // Before Spark starts: a missing champion or an unfinished version should cost nothing.
        ScoringModel scoring = ModelChoice.resolve(ModelRegistry.from(settings), cfg.model());
        try (SparkSession spark = IchSpark.session(cfg.common(), "ich-score")) {
            System.out.println(score(spark, cfg, etl, scoring, System.out));
        }
        return 0;
    }

    /**
     * {@code ich score} composed: with ich.score.input, the ETL ingests those files first (the same pixel, split and
     * privacy settings as every other ingest, no labels) and the scoring takes only the slices they became.
     *
     * @param etl the ETL settings, or null when ich.score.input is not set
     */
    public static ScoreSummary score(SparkSession spark, ScoreConfig cfg, EtlConfig etl, ScoringModel model, PrintStream out) {
        ScoreJob job = new ScoreJob(spark, cfg, model, out);
        if (cfg.input() == null) return job.run();
        EtlConfig ingest = etl.ingesting(cfg.input());
        // Listed once: the ETL ingests these files, and the scoring takes the slices they became.
        Dataset<Row> listing = DicomListing.list(spark, cfg.input(), ingest.privacy().pseudonyms());
        EtlSummary ingested = new Phases(spark, "score", out).time("ingest " + cfg.input(),
                () -> new EtlJob(spark, ingest, out).run(listing));
        out.println(ingested);
        return job.run(listing, ingested);
    }
}
