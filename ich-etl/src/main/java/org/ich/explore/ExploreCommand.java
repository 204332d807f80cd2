package org.ich.explore;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.spark.IchSpark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** {@code ich explore}: an HTML report on the slices table. Also the main class for spark-submit. */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Write an HTML report on the slices table (splits, labels, scanner quirks, empty slices, sample "
                + "tensors, quarantine) with PNG charts to ich.explore.out.")
public final class ExploreCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--out", paramLabel = "URI", description = "overrides ich.explore.out (local folder, s3a:// or hdfs://)")
    String out;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new ExploreCommand(), args));
    }

    @Override
    public Integer call() {
        List<String> extra = new ArrayList<>();
        if (out != null) extra.add(ConfOptions.stringOverride("ich.explore.out", out));
        ExploreConfig cfg = ExploreConfig.from(conf.settings(extra));
        URI index;
        try (SparkSession spark = IchSpark.session(cfg.common(), "ich-explore")) {
            index = new ExploreReport(spark, cfg).write();
        }
        System.out.println("explore: report written to " + index);
        return 0;
    }
}
