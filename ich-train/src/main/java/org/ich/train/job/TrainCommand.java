package org.ich.train.job;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.config.Settings;
import org.ich.spark.IchSpark;
import org.ich.train.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ich train}: slices -> a trained model version in the registry. Also the main class for spark-submit. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the ich.train network on the slices table with Spark (parameter averaging), validate"
                + " and checkpoint every epoch, register the model and let the registry decide on promotion."
                + " Resumes the latest RUNNING version when ich.train.resume is true.")
public final class TrainCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new TrainCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = conf.settings();
        TrainConfig config = TrainConfig.from(settings);
        // Before Spark starts: a refused precision should cost nothing.
        config.recipe().precision().checkSupported();
        ModelRegistry registry = ModelRegistry.from(settings);
        try (SparkSession spark = IchSpark.session(SparkSetup.forTraining(config.common(), config.distributed()), "ich-train")) {
            new TrainJob(spark, config, registry, VersionEvaluation.installed(spark, settings, registry, System.out),
                    System.out).run();
        }
        return 0;
    }
}
