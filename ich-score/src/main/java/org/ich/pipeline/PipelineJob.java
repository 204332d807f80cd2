package org.ich.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.SparkSession;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.job.EtlJob;
import org.ich.etl.job.EtlSummary;
import org.ich.score.ModelChoice;
import org.ich.score.ScoreConfig;
import org.ich.score.card.ModelCardJob;
import org.ich.score.evaluate.EvaluateConfig;
import org.ich.score.evaluate.EvaluateJob;
import org.ich.score.job.ScoreJob;
import org.ich.score.job.ScoreSummary;
import org.ich.spark.Storage;
import org.ich.train.data.PinnedSlices;
import org.ich.train.job.TrainConfig;
import org.ich.train.job.TrainJob;
import org.ich.train.job.VersionEvaluation;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.RegistryJson;

/**
 * {@code ich pipeline}, the nightly job: incremental ETL -> train (when there is new data; optionally from the
 * champion's weights) -> evaluate the new version on the valid split (operating points, evaluations table) -> the
 * registry promotes it if it beats the champion on the same validation patients -> score the slices the champion has
 * not scored -> refresh study_predictions.
 *
 * <p>Every step is idempotent on its own (the ETL skips known files, training resumes a killed version, scoring skips
 * scored slices), so a failed or killed run is repaired by running the pipeline again.
 */
public final class PipelineJob {
    static final String LOCK = "pipeline.lock";

    private final SparkSession spark;
    private final PipelineConfig cfg;
    private final ModelRegistry registry;
    private final Storage storage;
    private final PrintStream out;
    /** Files the ETL step left waiting for ich.etl.retry.alert-after-runs runs or more. */
    private long stuckFiles;

    public PipelineJob(SparkSession spark, PipelineConfig cfg, ModelRegistry registry, PrintStream out) {
        this.spark = spark;
        this.cfg = cfg;
        this.registry = registry;
        this.storage = Storage.of(cfg.common());
        this.out = out;
    }

    /** Runs the steps under the pipeline lock and writes the run summary; returns it with the path it was written to. */
    public Result run() throws IOException {
        Instant start = Instant.now();
        RunSummary summary = new RunSummary("pipeline-" + ScoreJob.runId(start), start);
        URI lockUri = Storage.child(cfg.runs(), LOCK);
        try (PipelineLock ignored = PipelineLock.acquire(storage.fs(lockUri), lockUri, cfg.lockStale(), Clock.systemUTC(), out)) {
            out.println("pipeline: run " + summary.getRunId());
            try {
                steps(summary);
                summary.end(RunSummary.Status.SUCCEEDED, null);
            } catch (RuntimeException | IOException e) {
                summary.end(RunSummary.Status.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
                write(summary);
                throw e;
            }
            return new Result(summary, write(summary), stuckFiles);
        }
    }

    /** @param stuckFiles files the ETL could not read in ich.etl.retry.alert-after-runs runs or more */
    public record Result(RunSummary summary, URI written, long stuckFiles) {
    }

    private void steps(RunSummary summary) throws IOException {
        Instant t = Instant.now();
        EtlSummary etl = new EtlJob(spark, cfg.etl(), out).run();
        out.println(etl);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("listed", etl.listed());
        files.put("new_slices", etl.newSlices());
        files.put("new_quarantined", etl.newQuarantined());
        files.put("new_waiting", etl.newWaiting());
        files.put("slices_total", etl.slicesTotal());
        files.put("quarantine_total", etl.quarantineTotal());
        files.put("waiting_total", etl.waitingTotal());
        files.put("stuck", etl.stuck());
        files.put("bad_label_rows", etl.badLabelRows());
        summary.step("etl", etl.stuck() > 0 ? "files stuck waiting" : "done", t, files);
        stuckFiles = etl.stuck();

        t = Instant.now();
        Optional<ModelVersion> championBefore = registry.champion();
        summary.model("champion_before", championBefore.map(ModelVersion::id).orElse(null));
        Optional<ModelVersion> running = registry.latestRunning();
        String why = trainReason(running);
        if (why == null) {
            summary.step("train", "skipped", t, Map.of("reason", "no new slices since the newest model version"
                    + " (ich.pipeline.train = " + cfg.train().name().toLowerCase(Locale.ROOT) + ")"));
        } else {
            out.println("pipeline: training, " + why);
            TrainConfig training = running.isPresent() ? cfg.training() : warmStarted(championBefore);
            List<EvaluateJob.Result> evaluated = new ArrayList<>();
            VersionEvaluation evaluation = (version, complete) -> {
                Instant from = Instant.now();
                EvaluateJob.Result r = new EvaluateJob(spark, cfg.evaluation().of(version.id(), EvaluateConfig.VALID),
                        registry, out).run();
                evaluated.add(r);
                summary.step("evaluate", "done", from, r.headline());
                summary.headline(r.headline());
                return r.manifest();
            };
            TrainJob.Result trained = new TrainJob(spark, training, registry, evaluation, out).run();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("reason", why);
            figures.put("version", trained.version().id());
            figures.put("epochs", trained.epochsDone());
            if (trained.last() != null) figures.put("valid_weighted_log_loss", trained.last().validLoss());
            if (trained.promotion() != null) {
                figures.put("promoted", trained.promotion().promoted());
                figures.put("promotion", trained.promotion().reason());
            }
            summary.model("trained", trained.version().id());
            summary.step("train", trained.finished() ? "done" : "stopped", t, figures);
            if (!evaluated.isEmpty()) {
                Instant from = Instant.now();
                ModelCardJob.Result card = new ModelCardJob(spark, cfg.evaluation(), registry, out).write(trained.version().id());
                summary.step("model-card", "done", from, Map.of("version", card.version(), "location", card.index().toString()));
            }
        }

        t = Instant.now();
        Optional<ModelVersion> champion = registry.champion();
        summary.model("champion_after", champion.map(ModelVersion::id).orElse(null));
        if (champion.isEmpty()) {
            summary.step("score", "skipped", t, Map.of("reason", "the registry has no champion yet"));
            return;
        }
        ScoreSummary scored = new ScoreJob(spark, cfg.scoring().unscoredByChampion(),
                ModelChoice.resolve(registry, champion.get().id()), out).run();
        out.println(scored);
        summary.step("score", "done", t, Map.of("model", scored.modelVersion(), "scored", scored.scored(),
                "studies", scored.studies(), "predictions_total", scored.predictionsTotal(), "run_id", scored.runId()));
    }

    /** Why this run trains, or null when it should not. */
    private String trainReason(Optional<ModelVersion> running) {
        switch (cfg.train()) {
            case NEVER:
                return null;
            case ALWAYS:
                return "ich.pipeline.train = always";
            default:
                break;
        }
        if (running.isPresent()) return "resuming version " + running.get().id();
        long current = PinnedSlices.read(spark, cfg.common()).snapshotId();
        for (ModelVersion v : registry.list()) {
            Manifest m = registry.readManifest(v);
            if (m.slicesSnapshotId() == null) continue;
            return m.slicesSnapshotId() == current ? null
                    : "the slices table changed since version " + v.id() + " was trained (snapshot " + m.slicesSnapshotId()
                    + " -> " + current + ")";
        }
        return "no model version yet";
    }

    /**
     * With ich.pipeline.warm-start and a champion of the same network, a new version starts from its weights (a resumed
     * version goes on from its own checkpoint instead).
     */
    private TrainConfig warmStarted(Optional<ModelVersion> champion) {
        TrainConfig planned = cfg.training();
        if (!cfg.warmStart() || champion.isEmpty()) return planned;
        Manifest m = registry.readManifest(champion.get());
        if (!planned.architecture().equals(m.architecture()) || !planned.head().name().equals(m.head())
                || planned.pretrained() != null) {
            out.println("pipeline: not warm-starting: the champion is a " + m.architecture() + "/" + m.head()
                    + ", this configuration trains a " + planned.architecture() + "/" + planned.head());
            return planned;
        }
        return planned.withInitModel(champion.get().modelZip());
    }


    /** The run's headline figures as "; key value, ..." (numbers to 3 decimals), or "" when it has none. */
    static String headline(Map<String, Object> figures) {
        if (figures.isEmpty()) return "";
        List<String> parts = new ArrayList<>();
        figures.forEach((k, v) -> parts.add(k + " " + (v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v)));
        return "; " + String.join(", ", parts);
    }

    private URI write(RunSummary summary) throws IOException {
        URI file = Storage.child(cfg.runs(), summary.getRunId() + ".json");
        try (var o = storage.create(file)) {
            o.write(RegistryJson.write(summary));
        }
        out.println("pipeline: " + summary.getStatus() + " in " + summary.getSeconds() + " s; run summary " + file
                + headline(summary.getHeadline()));
        return file;
    }
}
