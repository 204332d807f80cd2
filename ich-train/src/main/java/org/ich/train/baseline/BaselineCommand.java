package org.ich.train.baseline;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.spark.IchSpark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ich baseline}: the metadata-only random forest. Also the main class for spark-submit. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Random forest on the slices table's header columns only (label_any): fit on split train, print "
                + "the ROC AUC on split valid as 'baseline.valid.auc_any VALUE' with counts and feature importances.")
public final class BaselineCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new BaselineCommand(), args));
    }

    @Override
    public Integer call() {
        BaselineConfig cfg = BaselineConfig.from(conf.settings());
        System.out.println("baseline: " + cfg);
        try (SparkSession spark = IchSpark.session(cfg.common(), "ich-baseline")) {
            new BaselineJob(spark, cfg).run().lines().forEach(System.out::println);
        }
        return 0;
    }
}
