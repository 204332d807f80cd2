package org.ich.pipeline;

import java.net.URI;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.cli.SqlCommand;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.PrivacyConfig;
import org.ich.explore.ExploreConfig;
import org.ich.explore.ExploreReport;
import org.ich.score.evaluate.HeatmapTruth;
import org.ich.score.report.ReportConfig;
import org.ich.score.report.TriageReport;
import org.ich.spark.IchSpark;
import org.ich.spark.Storage;
import org.ich.synth.Cohort;
import org.ich.synth.CohortWriter;
import org.ich.synth.SynthConfig;
import org.ich.train.job.SparkSetup;
import org.ich.train.job.TrainConfig;
import org.ich.train.registry.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ich demo}: the whole product on this machine in a few minutes. Synthetic studies -> the nightly pipeline
 * (ETL, training of a small network, promotion, scoring) -> dataset and triage reports -> one analyst query, all under
 * work/demo, then where everything is. Rerunning it is safe and quick: every step is incremental.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on a small synthetic cohort under work/demo (synth, etl, train, score,"
                + " reports) and show where the tables, model, plots and reports are. key=value pairs override its settings.")
public final class DemoCommand implements IchCommand {
    /** Small enough for minutes on two cores; everything under work/demo so the demo never mixes with real tables. */
    static final List<String> DEMO = List.of(
            "ich.warehouse=\"work/demo/warehouse\"",
            "ich.registry.root=\"work/demo/models\"",
            "ich.pipeline.runs=\"work/demo/runs\"",
            "ich.report.out=\"work/demo/reports/triage\"",
            "ich.report.studies=6",
            "ich.explore.out=\"work/demo/reports/explore\"",
            "ich.synth.out=\"work/demo/dicom\"",
            "ich.synth.labels=\"work/demo/labels.csv\"",
            // Truth for the heatmaps: each positive slice's blood, outside the DICOM folder (the DICOMs are the same).
            "ich.synth.masks=\"work/demo/masks\"",
            // Enough patients for a detector worth the name (AUC(any) >= 0.9 on the valid split) in ~3 minutes.
            "ich.synth.patients=60",
            "ich.synth.matrix=256",
            "ich.synth.min-slices=12",
            "ich.synth.max-slices=16",
            "ich.synth.bleed-fraction=0.7",
            "ich.synth.replace=true",
            // Synthetic patients only: the public development pseudonym key, asked for explicitly (README, Privacy).
            "ich.privacy.allow-dev-key=true",
            "ich.etl.input=\"work/demo/dicom\"",
            "ich.etl.labels=\"work/demo/labels.csv\"",
            "ich.etl.size=64",
            "ich.etl.split.train=0.6",
            "ich.etl.split.valid=0.4",
            "ich.etl.split.test=0",
            "ich.train.architecture=tiny",
            "ich.train.epochs=16",
            "ich.train.batch-size=16",
            // The demo shows both stages, though the context stage is off by default (README, "Context stage").
            "ich.train.sequence.enabled=true",
            // The context stage's validation loss levels off by about epoch 20 on this cohort (measured: 0.1479 at
            // 20, 0.1456 at 30), and the demo should stay near three minutes.
            "ich.train.sequence.epochs=20",
            // Out-of-fold embeddings would train the tiny network twice more (about 45 s here); README, the context stage.
            "ich.train.sequence.folds=0");

    static final String QUERY = "SELECT triage_rank, study_key, round(max_p_any, 3) AS p_any,"
            + " round(max_p_series_any, 3) AS p_series_any, slices_above_any,"
            + " top_slice_index_any FROM study_predictions WHERE model_version = (SELECT max(model_version) FROM"
            + " study_predictions) ORDER BY triage_rank LIMIT 5";

    @Mixin
    ConfOptions conf;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new DemoCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = conf.settingsOver(DEMO);
        SynthConfig synth = SynthConfig.from(settings);
        PipelineConfig pipeline = PipelineConfig.from(settings);
        CommonConfig common = pipeline.common();
        TrainConfig train = TrainConfig.from(settings);
        ModelRegistry registry = ModelRegistry.from(settings);

        System.out.println("demo: 1/4 writing " + synth.patients() + " synthetic patients as DICOM to " + synth.out());
        // The same seed writes the same bytes, so on a rerun the ETL finds nothing new.
        new CohortWriter(Storage.of(common), line -> { }).write(Cohort.plan(synth));
        try (SparkSession spark = IchSpark.session(SparkSetup.forTraining(common, train.distributed()), "ich-demo")) {
            System.out.println("demo: 2/4 the nightly pipeline: etl -> train -> promote -> score");
            PipelineJob.Result run = new PipelineJob(spark, pipeline, registry, System.out).run();
            registry.champion().ifPresent(v -> System.out.println("demo: heatmap peaks on the blood mask: "
                    + HeatmapTruth.measure(spark, common, EtlConfig.from(settings).pixels(),
                            PrivacyConfig.Crosswalk.from(settings), v.id(), synth.masks())));
            System.out.println("demo: 3/4 reports");
            URI explore = new ExploreReport(spark, ExploreConfig.from(settings)).write();
            URI triage = new TriageReport(spark, ReportConfig.from(settings)).write();
            System.out.println("demo: 4/4 an analyst query (submit/ich sql \"...\"): the triage worklist");
            System.out.println("  " + QUERY);
            SqlCommand.print(spark.sql(QUERY), SqlCommand.Format.table, 5, System.out);

            String champion = registry.champion().map(v -> v.dir().toString()).orElse("(none)");
            System.out.println();
            System.out.println("tables   " + common.warehouse() + "  (slices, quarantine, slice_embeddings, predictions, study_predictions,"
                    + " evaluations, slice_heatmaps;"
                    + " submit/ich sql \"...\" ich.warehouse=work/demo/warehouse)");
            System.out.println("model    " + champion + "  (model.zip, context/, manifest.json, metrics.json,"
                    + " model-card/index.html)");
            System.out.println("plots    " + registry.champion().map(v -> v.plots().toString()).orElse("(none)")
                    + "  (loss.png, auc.png)");
            System.out.println("reports  " + explore + "\n         " + triage);
            System.out.println("run      " + run.written());
        }
        return 0;
    }
}
