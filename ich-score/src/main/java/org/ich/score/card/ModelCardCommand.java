package org.ich.score.card;

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

/** {@code ich model-card}: a version's model card. Also the main class for spark-submit. */
@Command(name = "model-card", mixinStandardHelpOptions = true,
        description = "Write the model card of a version (intended use and limits, data, recipe, training curves, ROC,"
                + " calibration, operating points, strata) into its registry folder:"
                + " <ich.registry.root>/<version>/model-card/index.html, which `ich models` lists. A version not"
                + " evaluated on valid yet is evaluated first (as `ich evaluate --split valid`).")
public final class ModelCardCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--model", paramLabel = "VERSION", description = "overrides ich.model-card.model (champion or a version id)")
    String model;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new ModelCardCommand(), args));
    }

    @Override
    public Integer call() {
        List<String> extra = new ArrayList<>();
        if (model != null) extra.add(ConfOptions.stringOverride("ich.model-card.model", model));
        Settings settings = conf.settings(extra);
        ModelCardConfig cfg = ModelCardConfig.from(settings);
        try (SparkSession spark = IchSpark.session(cfg.evaluation().common(), "ich-model-card")) {
            new ModelCardJob(spark, cfg.evaluation(), ModelRegistry.from(settings), System.out).write(cfg.model());
        }
        return 0;
    }
}
