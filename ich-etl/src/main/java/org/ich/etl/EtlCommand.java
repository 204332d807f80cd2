package org.ich.etl;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.cli.UserError;
import org.ich.dicom.QuarantineReason;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.etl.job.EtlJob;
import org.ich.etl.job.EtlSummary;
import org.ich.etl.job.QuarantinePaths;
import org.ich.spark.IchSpark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code ich etl}: DICOM files -> slices and quarantine tables. Also the main class for spark-submit. */
@Command(name = "etl", mixinStandardHelpOptions = true,
        description = "Read DICOM files under ich.etl.input into the slices and quarantine Iceberg tables (incremental).")
public final class EtlCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--input", paramLabel = "URI", description = "overrides ich.etl.input")
    String input;

    @Option(names = "--labels", paramLabel = "URI", description = "overrides ich.etl.labels (RSNA label CSV)")
    String labels;

    @Option(names = "--show-paths", description = "list the quarantined files with their paths (reads the crosswalk,"
            + " ich.privacy.crosswalk.*; needs access to it) instead of running the ETL")
    boolean showPaths;

    @Option(names = "--retry-quarantined", paramLabel = "REASON", split = ",",
            description = "also read again the quarantined files with these reasons (e.g. UNSUPPORTED_TRANSFER_SYNTAX after"
                    + " a codec was added, TOO_LARGE after a cap was raised); those that decode now move to slices")
    List<String> retryQuarantined = List.of();

    public static void main(String[] args) {
        System.exit(Main.executeOne(new EtlCommand(), args));
    }

    static Set<QuarantineReason> reasons(List<String> names) {
        Set<QuarantineReason> out = EnumSet.noneOf(QuarantineReason.class);
        for (String n : names) {
            try {
                out.add(QuarantineReason.valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--retry-quarantined: " + n + " is not a quarantine reason; one of "
                        + Arrays.toString(QuarantineReason.values()));
            }
        }
        return out;
    }

    @Override
    public Integer call() {
        List<String> extra = new ArrayList<>();
        if (input != null) extra.add(ConfOptions.stringOverride("ich.etl.input", input));
        if (labels != null) extra.add(ConfOptions.stringOverride("ich.etl.labels", labels));
        Settings settings = conf.settings(extra);
        if (showPaths) {
            // Reads keys and paths only: needs the crosswalk's permissions, not the pseudonym key.
            CommonConfig common = CommonConfig.from(settings);
            try (SparkSession spark = IchSpark.session(common, "ich-etl-show-paths")) {
                QuarantinePaths.print(spark, common, PrivacyConfig.Crosswalk.from(settings), System.out);
            }
            return 0;
        }
        Set<QuarantineReason> retry = reasons(retryQuarantined);
        EtlConfig cfg = EtlConfig.from(settings);
        System.out.println("etl: " + cfg);
        try (SparkSession spark = IchSpark.session(cfg.common(), "ich-etl")) {
            EtlSummary summary = new EtlJob(spark, cfg).retryingQuarantined(retry).run();
            System.out.println(summary);
            return summary.stuck() > 0 && cfg.retry().failWhenStuck() ? RetryPolicy.STUCK_EXIT_CODE : 0;
        }
    }
}
