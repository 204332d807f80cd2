package org.ich.train.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.ich.domain.Labels;
import org.ich.train.metrics.LabelScore;

/**
 * What a model version is and how it came to be: enough to rebuild its inputs, to reproduce its training and to
 * compare it with another version. Stored as {@code manifest.json} in the version folder (snake_case keys).
 *
 * @param version               the version id (folder name)
 * @param runId                 the training run that made it
 * @param architecture          one of {@link org.ich.train.model.Architecture#ids()}
 * @param labels                output order of the network, a prefix of {@link Labels#NAMES}
 * @param head                  {@link org.ich.train.model.Head} name
 * @param trainingConfig        the full training configuration as JSON (see {@link ConfigSnapshot})
 * @param slicesSnapshotId      Iceberg snapshot of the {@code slices} table the run read
 * @param validationFingerprint {@link ValidationFingerprint} of the patients the metrics were measured on
 * @param metrics               null until the run completes; the final outputs' figures (the context stage's when the
 *                              version has one), which promotion compares
 * @param sliceMetrics          the slice stage's own figures on the same split when a context stage follows it, else null
 * @param context               the context stage, or null for a version of the slice stage alone
 * @param operatingPoints       study-level thresholds on p(any) chosen on the validation split ({@code ich evaluate}),
 *                              the primary one first; empty until the version has been evaluated
 * @param finished              when the run completed or failed
 * @param failure               why the run failed (FAILED only)
 */
public record Manifest(String version, String runId, Status status, String architecture, Input input, List<String> labels,
                       String head, JsonNode trainingConfig, Long slicesSnapshotId, String validationFingerprint,
                       Metrics metrics, Metrics sliceMetrics, Context context, List<OperatingPoint> operatingPoints,
                       CodeVersion code, Instant created, Instant finished, String failure) {

    public enum Status { RUNNING, COMPLETE, FAILED }

    /**
     * The second stage: a sequence model over each series' slice embeddings ({@code context/} in the version folder).
     *
     * @param kind      bilstm or tcn
     * @param embedding width of the slice features it reads
     * @param views     test-time views the embeddings average ({@code identity+hflip})
     * @param epochs    epochs it was trained
     */
    public record Context(String kind, int hidden, int embedding, String views, int epochs) {
    }

    /**
     * A study-level threshold on the highest slice p(any), chosen on the validation split to reach a target
     * sensitivity, with what it measured there. A study is flagged when its p(any) is at least {@code threshold}.
     *
     * @param name              e.g. {@code sens95}
     * @param studies           validation studies it was chosen on
     * @param positives         of which had any haemorrhage
     */
    public record OperatingPoint(String name, double targetSensitivity, double threshold, double sensitivity,
                                 double specificity, long studies, long positives) {
    }

    /** The primary operating point (the first), if the version has been evaluated. */
    public Optional<OperatingPoint> primaryOperatingPoint() {
        return operatingPoints.isEmpty() ? Optional.empty() : Optional.of(operatingPoints.get(0));
    }

    /**
     * The network's input.
     *
     * @param windows window stack per slice as {@code name:center:width,...}, e.g. {@code brain:40:80,subdural:80:200,bone:600:2800}
     * @param layout  tensor layout, e.g. {@code NCHW}
     */
    public record Input(int channels, int size, String windows, String layout) {
        /** Appended to the layout of 2.5D inputs: each slice's windows stacked between those of its neighbours. */
        public static final String NEIGHBOURS = ";neighbours=above,slice,below";

        /** Whether the network reads each slice stacked with the slices above and below it in its series. */
        public boolean neighbours() {
            return layout != null && layout.endsWith(NEIGHBOURS);
        }
    }

    /**
     * Figures on the validation split.
     *
     * @param validWeightedLogLoss the RSNA metric ({@link org.ich.train.metrics.RsnaMetric}); promotion compares this
     * @param auc                  ROC AUC per label name (NaN when the split holds one class only)
     * @param extra                any further named figures (epochs, valid slices, ...); may be empty
     */
    public record Metrics(double validWeightedLogLoss, Map<String, Double> auc, Map<String, Double> extra) {
        public static final String WEIGHTED_LOG_LOSS = "valid_weighted_log_loss";

        public Metrics {
            if (!(validWeightedLogLoss >= 0) || Double.isInfinite(validWeightedLogLoss)) {
                throw new IllegalArgumentException(WEIGHTED_LOG_LOSS + " must be a finite number >= 0, got " + validWeightedLogLoss);
            }
            auc = auc == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(auc));
            extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        }

        /** From the training job's per-label scores. */
        public static Metrics of(double validWeightedLogLoss, List<LabelScore> scores) {
            Map<String, Double> auc = new LinkedHashMap<>();
            for (LabelScore s : scores) auc.put(s.label(), s.auc());
            return new Metrics(validWeightedLogLoss, auc, Map.of());
        }

        public Metrics withExtra(String name, double value) {
            Map<String, Double> more = new LinkedHashMap<>(extra);
            more.put(name, value);
            return new Metrics(validWeightedLogLoss, auc, more);
        }

        /** AUC of "any", or NaN when not measured. */
        public double aucAny() {
            Double v = auc.get(Labels.NAMES.get(Labels.ANY));
            return v == null ? Double.NaN : v;
        }
    }

    public Manifest {
        VersionId.check(version);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(created, "created");
        labels = labels == null ? null : List.copyOf(labels);
        operatingPoints = operatingPoints == null ? List.of() : List.copyOf(operatingPoints);
        if (status == Status.COMPLETE && metrics == null) {
            throw new IllegalArgumentException("version " + version + ": a COMPLETE manifest needs metrics");
        }
    }

    /** What {@link ModelRegistry#create} writes before the training job knows more. */
    static Manifest started(String version, String runId, Instant created, CodeVersion code) {
        return new Manifest(version, runId, Status.RUNNING, null, null, Labels.NAMES, null, null, null, null, null, null, null, null,
                code, created, null, null);
    }

    public Manifest complete(Metrics metrics, Instant at) {
        return toBuilder().status(Status.COMPLETE).metrics(Objects.requireNonNull(metrics, "metrics")).finished(at).failure(null).build();
    }

    public Manifest failed(String why, Instant at) {
        return toBuilder().status(Status.FAILED).finished(at).failure(why).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Fills a manifest field by field; start from {@link ModelRegistry#readManifest} of a new version. */
    public static final class Builder {
        private String version, runId, architecture, head, validationFingerprint, failure;
        private Status status;
        private Input input;
        private List<String> labels;
        private JsonNode trainingConfig;
        private Long slicesSnapshotId;
        private Metrics metrics, sliceMetrics;
        private Context context;
        private List<OperatingPoint> operatingPoints;
        private CodeVersion code;
        private Instant created, finished;

        private Builder(Manifest m) {
            version = m.version; runId = m.runId; status = m.status; architecture = m.architecture; input = m.input;
            labels = m.labels; head = m.head; trainingConfig = m.trainingConfig; slicesSnapshotId = m.slicesSnapshotId;
            validationFingerprint = m.validationFingerprint; metrics = m.metrics; sliceMetrics = m.sliceMetrics;
            context = m.context; operatingPoints = m.operatingPoints; code = m.code; created = m.created;
            finished = m.finished; failure = m.failure;
        }

        public Builder status(Status v) { status = v; return this; }
        public Builder architecture(String v) { architecture = v; return this; }
        public Builder input(Input v) { input = v; return this; }
        public Builder labels(List<String> v) { labels = v; return this; }
        public Builder head(String v) { head = v; return this; }
        public Builder trainingConfig(JsonNode v) { trainingConfig = v; return this; }
        public Builder slicesSnapshotId(Long v) { slicesSnapshotId = v; return this; }
        public Builder validationFingerprint(String v) { validationFingerprint = v; return this; }
        public Builder metrics(Metrics v) { metrics = v; return this; }
        public Builder sliceMetrics(Metrics v) { sliceMetrics = v; return this; }
        public Builder context(Context v) { context = v; return this; }
        public Builder operatingPoints(List<OperatingPoint> v) { operatingPoints = v; return this; }
        public Builder code(CodeVersion v) { code = v; return this; }
        public Builder finished(Instant v) { finished = v; return this; }
        public Builder failure(String v) { failure = v; return this; }

        public Manifest build() {
            return new Manifest(version, runId, status, architecture, input, labels, head, trainingConfig, slicesSnapshotId,
                    validationFingerprint, metrics, sliceMetrics, context, operatingPoints, code, created, finished, failure);
        }
    }
}
