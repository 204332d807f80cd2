package org.ich.etl;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.etl.job.PhiMigration;
import org.ich.spark.IchSpark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ich migrate}: brings a warehouse from before the PHI boundary across it (see {@link PhiMigration}). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Move the original identifiers of a warehouse written before the PHI boundary into the crosswalk"
                + " and key its tables (run once, with the pseudonym key that wrote them; safe to rerun).")
public final class MigrateCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new MigrateCommand(), args));
    }

    @Override
    public Integer call() {
        Settings settings = conf.settings();
        CommonConfig common = CommonConfig.from(settings);
        PrivacyConfig privacy = PrivacyConfig.from(settings);
        System.out.println("migrate: " + common.catalog() + "." + common.namespace() + " under " + common.warehouse() + ", " + privacy);
        try (SparkSession spark = IchSpark.session(common, "ich-migrate")) {
            PhiMigration.Result result = new PhiMigration(spark, common, privacy, System.out).run();
            if (!result.migrated().isEmpty()) {
                System.out.println("migrate: done: " + result.migrated().size() + " tables keyed; the crosswalk holds "
                        + result.crosswalkRows() + " files. Reports and model cards written before the migration may still"
                        + " name original UIDs: write them again (ich report, ich model-card) and delete the old ones.");
            }
        }
        return 0;
    }
}
