package org.ich.pipeline;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.config.Settings;
import org.ich.etl.RetryPolicy;
import org.ich.spark.IchSpark;
import org.ich.train.job.SparkSetup;
import org.ich.train.job.TrainConfig;
import org.ich.train.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ich pipeline}: the nightly run. Also the main class for spark-submit. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "The nightly job: incremental ETL, training when there are new slices (promoted only if it beats the"
                + " champion on the same validation patients), scoring of unscored slices with the champion, refresh of"
                + " study_predictions. One run at a time; writes a JSON run summary to ich.pipeline.runs; exit code 0 only"
                + " when every step succeeded (3 when files are stuck waiting and ich.etl.retry.fail-when-stuck is set).")
public final class PipelineCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new PipelineCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = conf.settings();
        PipelineConfig cfg = PipelineConfig.from(settings);
        ModelRegistry registry = ModelRegistry.from(settings);
        try (SparkSession spark = IchSpark.session(SparkSetup.forTraining(cfg.common(), cfg.training().distributed()),
                "ich-pipeline")) {
            PipelineJob.Result result = new PipelineJob(spark, cfg, registry, System.out).run();
            return result.stuckFiles() > 0 && cfg.etl().retry().failWhenStuck() ? RetryPolicy.STUCK_EXIT_CODE : 0;
        }
    }
}
