package org.ich.score.evaluate;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.config.Settings;
import org.ich.spark.IchSpark;
import org.ich.train.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ich evaluate}: clinical figures of a model version on a split. Also the main class for spark-submit. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model version on the valid or test split: per level (slice, study), label and stratum"
                + " (manufacturer, slice thickness, kVp, pixel encoding, matrix) the AUC with a patient-bootstrap 95%"
                + " interval, log losses, calibration and the study-level operating points, into the evaluations table."
                + " On valid it chooses the operating points (ich.evaluate.operating-points) and stores them in the"
                + " version's manifest.")
public final class EvaluateCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--model", paramLabel = "VERSION", description = "overrides ich.evaluate.model (champion or a version id)")
    String model;

    @Option(names = "--split", paramLabel = "SPLIT", description = "overrides ich.evaluate.split (valid or test)")
    String split;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new EvaluateCommand(), args));
    }

    @Override
    public Integer call() {
        List<String> extra = new ArrayList<>();
        if (model != null) extra.add(ConfOptions.stringOverride("ich.evaluate.model", model));
        if (split != null) extra.add(ConfOptions.stringOverride("ich.evaluate.split", split));
        Settings settings = conf.settings(extra);
        EvaluateConfig cfg = EvaluateConfig.from(settings);
        try (SparkSession spark = IchSpark.session(cfg.common(), "ich-evaluate")) {
            new EvaluateJob(spark, cfg, ModelRegistry.from(settings), System.out).run();
        }
        return 0;
    }
}
