package org.ich.score.report;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.spark.IchSpark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ich report}: the HTML triage report of a scoring run. Also the main class for spark-submit. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the HTML triage report of a scoring run (the latest unless ich.report.run-id says which):"
                + " its top studies, per-label probabilities and thumbnails of their top slices, to ich.report.out/<run id>/.")
public final class ReportCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "overrides ich.report.run-id")
    String run;

    @Option(names = "--out", paramLabel = "URI", description = "overrides ich.report.out")
    String out;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new ReportCommand(), args));
    }

    @Override
    public Integer call() {
        List<String> extra = new ArrayList<>();
        if (run != null) extra.add(ConfOptions.stringOverride("ich.report.run-id", run));
        if (out != null) extra.add(ConfOptions.stringOverride("ich.report.out", out));
        ReportConfig cfg = ReportConfig.from(conf.settings(extra));
        URI index;
        try (SparkSession spark = IchSpark.session(cfg.common(), "ich-report")) {
            index = new TriageReport(spark, cfg).write();
        }
        System.out.println("report: written to " + index);
        return 0;
    }
}
