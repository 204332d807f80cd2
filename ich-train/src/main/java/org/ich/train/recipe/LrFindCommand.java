package org.ich.train.recipe;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.config.Settings;
import org.ich.spark.IchSpark;
import org.ich.train.job.LrFindJob;
import org.ich.train.job.SparkSetup;
import org.ich.train.job.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ich lr-find}: Leslie Smith's learning-rate range test. Also the main class for spark-submit. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "Learning-rate range test for the ich.train network and data: writes a loss-vs-learning-rate"
                + " chart to ich.train.lr-find.out and prints a suggested ich.train.max-lr.")
public final class LrFindCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new LrFindCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = conf.settings();
        TrainConfig train = TrainConfig.from(settings);
        LrFindConfig config = LrFindConfig.from(settings);
        train.recipe().precision().checkSupported();
        try (SparkSession spark = IchSpark.session(SparkSetup.forTraining(train.common(), train.distributed()), "ich-lr-find")) {
            new LrFindJob(spark, train, config, System.out).run();
        }
        return 0;
    }
}
