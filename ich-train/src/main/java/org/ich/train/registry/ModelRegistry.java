package org.ich.train.registry;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.cli.UserError;
import org.ich.config.Settings;
import org.ich.spark.Storage;
import org.ich.train.model.NativeHelpers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The trained models on storage ({@code ich.registry.root}, a local folder, hdfs:// or s3a://):
 * <pre>
 * root/versions/&lt;id&gt;/   model.zip, manifest.json, metrics.json, plots/, checkpoints/   (one per training run)
 * root/champion              JSON pointer to the version that serves ({@link ChampionPointer})
 * </pre>
 * Version folders are only ever added; a model.zip, once written, is never replaced. The champion moves only through
 * {@link #promote}, atomically.
 */
public final class ModelRegistry {
    static final String VERSIONS = "versions";
    static final String CHAMPION = "champion";
    static final String CHAMPION_LOCK = "champion.lock";
    /** Rounds of "re-read, re-decide" before giving up when other promotions keep moving the champion. */
    private static final int PROMOTION_ATTEMPTS = 5;

    private final RegistryFiles files;
    private final Storage storage;
    private final URI root;
    private final PromotionRule rule;
    private final Duration lockWait;
    private final Clock clock;

    public static ModelRegistry from(Settings s) {
        RegistryConfig cfg = RegistryConfig.from(s);
        return new ModelRegistry(Storage.of(cfg.common()), cfg.root(), cfg.minImprovement(), cfg.lockWait(), Clock.systemUTC());
    }

    public ModelRegistry(Storage storage, URI root) {
        this(storage, root, 0.0, Duration.ofSeconds(30), Clock.systemUTC());
    }

    ModelRegistry(Storage storage, URI root, double minImprovement, Duration lockWait, Clock clock) {
        this.root = withoutTrailingSlash(Objects.requireNonNull(root, "root"));
        this.storage = storage;
        this.files = RegistryFiles.on(storage, this.root);
        this.rule = new PromotionRule(minImprovement);
        this.lockWait = lockWait;
        this.clock = clock;
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") && s.length() > uri.getScheme().length() + 4 ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    public URI root() { return root; }

    /** The storage the registry reads and writes through. */
    public Storage storage() { return storage; }

    /** The metrics, plots and checkpoints of a version, written through the registry, each atomically. */
    public VersionFolder folder(ModelVersion v) {
        return new VersionFolder(files, v);
    }

    /** Whether a version has its model.zip yet (a run killed after writing it need not train again). */
    public boolean hasModel(ModelVersion v) {
        return io(() -> files.exists(v.modelZip()), "look for " + v.modelZip());
    }

    /** Whether {@code ich model-card} wrote the version's card ({@link ModelVersion#modelCard()}). */
    public boolean hasModelCard(ModelVersion v) {
        return io(() -> files.exists(v.modelCard()), "look for " + v.modelCard());
    }

    /** A new RUNNING version for a training run, with its empty plots/ and checkpoints/ folders. */
    public ModelVersion create(String runId) {
        Instant now = clock.instant();
        ModelVersion v = version(VersionId.of(now, runId));
        io(() -> {
            if (files.exists(v.dir())) {
                throw new IllegalStateException("model version " + v.id() + " already exists; version folders are never reused");
            }
            files.mkdirs(v.plots());
            files.mkdirs(v.checkpoints());
            return null;
        }, "create " + v.dir());
        writeManifest(v, Manifest.started(v.id(), runId, now, CodeVersion.current()));
        return v;
    }

    public Optional<ModelVersion> find(String id) {
        if (!VersionId.valid(id)) return Optional.empty();
        ModelVersion v = version(id);
        return io(() -> files.exists(v.dir()), "look for " + v.dir()) ? Optional.of(v) : Optional.empty();
    }

    /** Newest first. */
    public List<ModelVersion> list() {
        URI versions = Storage.child(root, VERSIONS);
        List<String> ids = new ArrayList<>(io(() -> files.folders(versions), "list " + versions));
        // Temp folders, hand-made copies and the like are not versions.
        ids.removeIf(id -> !VersionId.valid(id));
        ids.sort(Comparator.reverseOrder());
        return ids.stream().map(this::version).toList();
    }

    /** The newest version still RUNNING, i.e. the one a killed training job resumes. */
    public Optional<ModelVersion> latestRunning() {
        for (ModelVersion v : list()) {
            Optional<Manifest> m = tryManifest(v);
            if (m.isPresent() && m.get().status() == Manifest.Status.RUNNING) return Optional.of(v);
        }
        return Optional.empty();
    }

    public Optional<ModelVersion> champion() {
        return championPointer().map(p -> version(p.version()));
    }

    public Optional<ChampionPointer> championPointer() {
        URI pointer = championUri();
        return io(() -> files.read(pointer), "read " + pointer).map(bytes -> parse(bytes, ChampionPointer.class, pointer));
    }

    /** Atomically: a reader sees the previous manifest or this one, never a partial file. */
    public void writeManifest(ModelVersion v, Manifest m) {
        if (!v.id().equals(m.version())) {
            throw new IllegalArgumentException("manifest of version " + m.version() + " cannot be written into version " + v.id());
        }
        io(() -> {
            files.replace(v.manifestUri(), RegistryJson.write(m));
            return null;
        }, "write " + v.manifestUri());
    }

    public Manifest readManifest(ModelVersion v) {
        URI uri = v.manifestUri();
        byte[] bytes = io(() -> files.read(uri), "read " + uri)
                .orElseThrow(() -> new UserError("model version " + v.id() + " has no " + ModelVersion.MANIFEST + " (" + uri
                        + "): its run stopped before writing one"));
        return parse(bytes, Manifest.class, uri);
    }

    Optional<Manifest> tryManifest(ModelVersion v) {
        try {
            return Optional.of(readManifest(v));
        } catch (UserError e) {
            return Optional.empty();
        }
    }

    /** Saves the trained network with its updater state (so training can go on from it); refuses to replace one. */
    public void writeModel(ModelVersion v, Model model) {
        io(() -> {
            if (files.exists(v.modelZip())) {
                throw new IllegalStateException("model version " + v.id() + " already has a " + ModelVersion.MODEL_ZIP
                        + "; trained models are never overwritten, create a new version instead");
            }
            files.publish(v.modelZip(), out -> ModelSerializer.writeModel(model, out, true));
            return null;
        }, "write " + v.modelZip());
    }

    /** Restores a version's network, with the oneDNN layer helpers on (they must be enabled before the graph is built). */
    public ComputationGraph readModel(ModelVersion v) {
        NativeHelpers.enable();
        try (InputStream in = files.open(v.modelZip())) {
            return ModelSerializer.restoreComputationGraph(in, true);
        } catch (IOException e) {
            throw new UserError("cannot read the model of version " + v.id() + " (" + v.modelZip() + "): " + e.getMessage(), e);
        }
    }

    public long modelSize(ModelVersion v) {
        return io(() -> files.size(v.modelZip()), "look at " + v.modelZip());
    }

    /**
     * Makes the candidate the champion if it is COMPLETE and has a lower validation weighted log loss than the champion
     * on the same validation patients, without a lower study-level sensitivity at its primary operating point when both
     * have one (or if there is no champion yet). Promotions exclude each other through a lock
     * file; on storage where that lock is only best effort (s3a), the champion is re-read right before writing and
     * again afterwards, so two promotions never both report success while one silently overwrote the other.
     */
    public Promotion promote(ModelVersion candidate) {
        Manifest m = readManifest(candidate);
        URI lockUri = Storage.child(root, CHAMPION_LOCK);
        try (RegistryFiles.Lock ignored = io(() -> files.lock(lockUri, lockWait), "lock " + lockUri)) {
            Optional<ChampionPointer> seen = championPointer();
            for (int attempt = 0; attempt < PROMOTION_ATTEMPTS; attempt++) {
                Promotion decision = rule.decide(m, seen);
                if (!decision.promoted()) return decision;
                Optional<ChampionPointer> now = championPointer();
                if (!now.equals(seen)) {
                    seen = now; // another promotion got in between: decide again against the new champion
                    continue;
                }
                Optional<Manifest.OperatingPoint> point = m.primaryOperatingPoint();
                ChampionPointer next = new ChampionPointer(m.version(), Manifest.Metrics.WEIGHTED_LOG_LOSS,
                        m.metrics().validWeightedLogLoss(), m.validationFingerprint(), clock.instant(),
                        point.map(Manifest.OperatingPoint::name).orElse(null),
                        point.map(Manifest.OperatingPoint::sensitivity).orElse(null));
                io(() -> {
                    files.replace(championUri(), RegistryJson.write(next));
                    return null;
                }, "write " + championUri());
                Optional<ChampionPointer> after = championPointer();
                if (after.isEmpty() || !after.get().version().equals(m.version())) {
                    return new Promotion(false, "another promotion replaced the champion at the same moment (now "
                            + after.map(ChampionPointer::version).orElse("none") + "); promote " + m.version()
                            + " again to compare it with that one", decision.previousChampion());
                }
                return decision;
            }
            return new Promotion(false, "the champion kept changing while " + m.version() + " was being promoted; try again",
                    seen.map(ChampionPointer::version).orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + lockUri + ": " + e.getMessage(), e);
        }
    }

    private URI championUri() {
        return Storage.child(root, CHAMPION);
    }

    private ModelVersion version(String id) {
        return new ModelVersion(id, Storage.child(Storage.child(root, VERSIONS), id));
    }

    private static <T> T parse(byte[] bytes, Class<T> type, URI from) {
        try {
            return RegistryJson.read(bytes, type);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read " + from + " as a " + type.getSimpleName() + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    /** Storage failures name the file and the operation; they are not the caller's to recover from. */
    private static <T> T io(IoAction<T> action, String what) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("registry: cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
