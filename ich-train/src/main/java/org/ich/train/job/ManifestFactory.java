package org.ich.train.job;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.ich.etl.job.EtlTables;
import org.ich.train.data.PinnedSlices;
import org.ich.domain.Labels;
import org.ich.train.model.ModelSpec;
import org.ich.train.registry.Manifest;

/** The manifest fields a training run fills in: what it trains on and, at the end, what it achieved. */
final class ManifestFactory {

    /** Layout of the network's input: the tensor's channel-major planes, batch first. */
    static final String LAYOUT = "NCHW";

    private ManifestFactory() {
    }

    /**
     * Written into the RUNNING manifest before the first epoch: a version in progress already says what it
     * is, and a resumed run reads the snapshot it must keep training on from here.
     */
    static Manifest running(Manifest created, ModelSpec spec, PinnedSlices table, boolean neighbours,
                            String validationFingerprint, JsonNode trainingConfig) {
        return created.toBuilder()
                .architecture(spec.architecture())
                .input(new Manifest.Input(spec.channels(), spec.size(), table.tensorProperties().get(EtlTables.PROP_WINDOWS),
                        // 2.5D inputs stack the windows of the slice above, the slice, the slice below.
                        neighbours ? LAYOUT + Manifest.Input.NEIGHBOURS : LAYOUT))
                .labels(Labels.NAMES.subList(0, spec.head().outputs()))
                .head(spec.head().name())
                .trainingConfig(trainingConfig)
                .slicesSnapshotId(table.snapshotId())
                .validationFingerprint(validationFingerprint)
                .build();
    }

    static Manifest complete(Manifest running, EpochMetrics last, Instant at) {
        return running.complete(sliceMetrics(last), at);
    }

    /** The final outputs are the context stage's; the slice stage's own figures are kept beside them. */
    static Manifest complete(Manifest running, EpochMetrics lastSlice, ContextTraining.Result context, Instant at) {
        ContextEpoch last = context.last();
        Manifest.Metrics metrics = Manifest.Metrics.of(last.validLoss(), last.labels())
                .withExtra("epochs", lastSlice.epochs())
                .withExtra("context_epochs", last.epochs())
                .withExtra("valid_slices", last.labels().get(0).count())
                .withExtra("valid_series", last.validSeries())
                .withExtra("context_seconds", context.seconds())
                // The slice stage on the same slices (all of the valid series'), which the context stage improves on.
                .withExtra("slice_stage_valid_loss_same_slices", context.sliceStage().validLoss());
        if (Double.isFinite(last.seriesAucAny())) metrics = metrics.withExtra("series_auc_any", last.seriesAucAny());
        Manifest.Context stage = new Manifest.Context(context.file().spec().kind().name().toLowerCase(Locale.ROOT),
                context.file().spec().hidden(), context.file().spec().embedding(), context.file().views(), last.epochs());
        return running.toBuilder().sliceMetrics(sliceMetrics(lastSlice)).context(stage).build().complete(metrics, at);
    }

    private static Manifest.Metrics sliceMetrics(EpochMetrics last) {
        Manifest.Metrics metrics = Manifest.Metrics.of(last.validLoss(), last.labels())
                .withExtra("epochs", last.epochs())
                .withExtra("valid_slices", last.labels().get(0).count())
                .withExtra("iterations", last.iteration());
        if (Double.isFinite(last.trainLoss())) {
            metrics = metrics.withExtra("train_loss", last.trainLoss());
        }
        return metrics;
    }
}
