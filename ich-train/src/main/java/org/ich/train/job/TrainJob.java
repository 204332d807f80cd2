package org.ich.train.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.util.ExportSupport;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.cli.UserError;
import org.ich.config.ConfigError;
import org.ich.domain.Labels;
import org.ich.spark.Storage;
import org.ich.train.data.PinnedSlices;
import org.ich.train.data.TrainingData;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.model.StoredModelZip;
import org.ich.train.recipe.Phase;
import org.ich.train.recipe.Precision;
import org.ich.train.recipe.Recipe;
import org.ich.train.recipe.TrainingPlan;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.Promotion;
import org.ich.train.registry.ValidationFingerprint;
import org.ich.train.sequence.job.SliceStage;

/**
 * {@code ich train}: the slices table -> a trained, validated model version in the registry.
 *
 * <p>Per epoch: fit on the executors (parameter averaging), score the validation split on the executors,
 * append the metrics and redraw the curves, checkpoint. A run whose process died resumes the latest RUNNING
 * version after its last checkpoint, at the same point of the learning-rate schedule. At the end the model
 * and its manifest go to the registry, which decides about promotion.
 */
public final class TrainJob {

    /** How a run ended: finished (and promoted or not), or stopped early with the version left RUNNING. */
    public record Result(ModelVersion version, int epochsDone, boolean finished, EpochMetrics last, Promotion promotion) {
    }

    private final SparkSession spark;
    private final TrainConfig config;
    private final ModelRegistry registry;
    private final PrintStream out;
    private final Storage storage;
    private final VersionEvaluation evaluation;

    public TrainJob(SparkSession spark, TrainConfig config, ModelRegistry registry, PrintStream out) {
        this(spark, config, registry, VersionEvaluation.NONE, out);
    }

    /** @param evaluation runs on the completed version before the registry decides on its promotion */
    public TrainJob(SparkSession spark, TrainConfig config, ModelRegistry registry, VersionEvaluation evaluation,
                    PrintStream out) {
        this.spark = spark;
        this.config = config;
        this.registry = registry;
        this.evaluation = evaluation;
        this.out = out;
        this.storage = registry.storage();
    }

    public Result run() throws IOException {
        preflight();
        Optional<Resumable> resumable = resumable();
        PinnedSlices table = PinnedSlices.at(spark, config.common(),
                resumable.map(r -> registry.readManifest(r.version()).slicesSnapshotId()).orElse(null));
        TrainingPlan plan = plan(table.size());
        ModelSpec spec = new ModelSpec(config.architecture(), config.data().inputChannels(table.channels()),
                plan.finalSize(), config.head(), Labels.RSNA_ANY_WEIGHT);
        TrainingData data = new TrainingData(table.rows(), config.data(), labelColumns(spec));
        if (data.rows(TrainingData.VALID).isEmpty()) {
            throw new UserError("no labelled, non-empty valid slices in " + table.name() + " at snapshot "
                    + table.snapshotId() + "; every epoch is scored on split valid (ich.etl.split.valid)");
        }
        Start start = start(spec, resumable);
        Manifest running = ManifestFactory.running(registry.readManifest(start.version()), spec, table,
                config.data().neighbours(), ValidationFingerprint.ofSplit(table.rows(), TrainingData.VALID),
                config.snapshot());
        registry.writeManifest(start.version(), running);

        Epochs epochs = new Epochs(start.version(), start.epoch(), plan, spec, data);
        out.printf("train: version %s, %s on %d x %d px x %d channels, %s head, epochs %d..%d of %d, %d workers,"
                        + " table %s at snapshot %d%n", start.version().id(), spec.architecture(), plan.finalSize(),
                plan.finalSize(), spec.channels(), config.head().name().toLowerCase(Locale.ROOT), start.epoch() + 1,
                plan.epochs(), plan.epochs(), epochs.trainer.workers(), table.name(), table.snapshotId());
        ComputationGraph model = start.model();
        EpochMetrics last = null;
        long runStart = System.nanoTime();
        int sliceEpochs = 0;
        for (int epoch = start.epoch(), done = 1; epoch < plan.epochs(); epoch++, done++, sliceEpochs++) {
            long t0 = System.nanoTime();
            model = epochs.train(model, epoch);
            long t1 = System.nanoTime();
            last = epochs.score(model, epoch);
            long t2 = System.nanoTime();
            epochs.record(model, epoch, last);
            long t3 = System.nanoTime();
            double perEpoch = (t3 - runStart) / 1e9 / done;
            out.println("train: " + last.summary() + "; run ETA "
                    + EpochMetrics.human(perEpoch * (plan.epochs() - epoch - 1)));
            // Where an epoch's time goes: the fit (minibatches, DL4J's rounds), validation, checkpoint and curves.
            out.printf("train: epoch %d time: epoch setup and fit %.1f s (minibatches and DL4J rounds %.1f s), validation %.1f s, record"
                            + " %.1f s%n", epoch + 1, (t1 - t0) / 1e9, last.seconds(), (t2 - t1) / 1e9, (t3 - t2) / 1e9);
            if (config.stopAfterEpochs() > 0 && done >= config.stopAfterEpochs() && epoch + 1 < plan.epochs()) {
                out.printf("train: stopping after %d epoch(s) as ich.train.stop-after-epochs says; version %s stays"
                        + " RUNNING and the next `ich train` resumes it at epoch %d%n", done, start.version().id(),
                        epoch + 2);
                return new Result(start.version(), epoch + 1, false, last, null);
            }
        }
        if (last == null) {
            // Killed after the last checkpoint but before the model was registered: only the scoring is missing.
            last = epochs.score(model, plan.epochs() - 1);
        }
        if (!registry.hasModel(start.version())) {
            registry.writeModel(start.version(), model);
        }
        if (!config.sequence().enabled()) {
            return finish(start.version(), ManifestFactory.complete(running, last, Instant.now()), last);
        }
        int budget = config.stopAfterEpochs() == 0 ? 0 : config.stopAfterEpochs() - sliceEpochs;
        Optional<ContextTraining.Result> context = budget < 0 || (config.stopAfterEpochs() > 0 && budget == 0)
                ? Optional.empty() : Optional.of(contextStage(start.version(), spec, plan, table, model, budget));
        if (context.isEmpty() || !context.get().finished()) {
            out.printf("train: stopping %s the context stage as ich.train.stop-after-epochs says; version %s stays"
                    + " RUNNING and the next `ich train` resumes it there%n", context.isEmpty() ? "before" : "inside",
                    start.version().id());
            return new Result(start.version(), plan.epochs(), false, last, null);
        }
        return finish(start.version(), ManifestFactory.complete(running, last, context.get(), Instant.now()), last);
    }

    /** The context stage over the slice stage's embeddings ({@link ContextTraining}). */
    private ContextTraining.Result contextStage(ModelVersion version, ModelSpec spec, TrainingPlan plan, PinnedSlices table,
                                                ComputationGraph sliceNetwork, int maxEpochs) throws IOException {
        SliceStage stage = new SliceStage(version.id(), spec.architecture(), spec.channels(), spec.size(),
                spec.head().outputs(), config.data().neighbours(), StoredModelZip.bytes(sliceNetwork, false));
        ContextTraining.Result context = new ContextTraining(spark, config, registry.folder(version), storage, out)
                .run(stage, table.rows(), sliceNetwork, folds(version, spec, plan, table), maxEpochs);
        if (context.finished()) {
            out.printf("train: context stage done in %.1f s: on the valid series' slices, valid loss %.4f (slice stage"
                            + " %.4f), AUC(any) %.3f (slice stage %.3f)%n", context.seconds(), context.last().validLoss(),
                    context.sliceStage().validLoss(), context.last().auc(Labels.NAMES.get(Labels.ANY)),
                    context.sliceStage().auc(Labels.NAMES.get(Labels.ANY)));
        }
        return context;
    }

    /** One epoch's steps on a run: fit, score, record. */
    private final class Epochs {
        private final ModelVersion version;
        private final TrainingPlan plan;
        private final ModelSpec spec;
        private final TrainingData data;
        private final JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        private final EpochTrainer trainer;
        private final Recipe recipe = new Recipe(config.recipe());
        private final Checkpoints checkpoints;
        private final MetricsLog metrics;
        private TrainingData.Epoch slices;
        private EpochTrainer.Fitted fitted;

        /** @param firstEpoch 0-based epoch this run starts at; metrics of later epochs from a killed run are redone */
        Epochs(ModelVersion version, int firstEpoch, TrainingPlan plan, ModelSpec spec, TrainingData data)
                throws IOException {
            this.version = version;
            this.plan = plan;
            this.spec = spec;
            this.data = data;
            this.trainer = new EpochTrainer(sc, config.distributed(), config.data().batchSize(),
                config.recipe().batchNormSlices(), out);
            this.checkpoints = new Checkpoints(registry.folder(version));
            this.metrics = MetricsLog.open(registry.folder(version), firstEpoch + 1);
        }

        /** Fits the epoch's training slices, readying the network first when the epoch begins a phase. */
        ComputationGraph train(ComputationGraph model, int epoch) {
            slices = data.trainEpoch(epoch, plan.size(epoch));
            if (slices.slices() == 0) {
                throw new UserError("no labelled, non-empty train slices in the slices table; run `ich etl` with a"
                        + " label CSV (ich.etl.labels)");
            }
            Phase phase = plan.phase(epoch);
            if (plan.startsPhase(epoch)) {
                model = recipe.prepare(model, phase, plan.phaseEpochs(phase), trainer.stepsPerEpoch(slices.slices()));
            }
            fitted = trainer.fit(model, data, slices, String.format("epoch %d/%d train", epoch + 1, plan.epochs()),
                    config.recipe().seed() + epoch);
            return fitted.model();
        }

        /** Validation on the executors, at the epoch's size. */
        EpochMetrics score(ComputationGraph model, int epoch) {
            ModelSpec atSize = new ModelSpec(spec.architecture(), spec.channels(), plan.size(epoch), spec.head(),
                    spec.anyWeight());
            Predictions valid = Validator.predict(sc, model, atSize, data.validBatches(plan.size(epoch)));
            boolean trained = fitted != null;
            return EpochMetrics.of(epoch + 1, plan.epochs(), plan.phase(epoch).name(), plan.size(epoch),
                    trained ? slices.slices() : 0, trained ? fitted.slices() : 0, trained ? fitted.batches() : 0,
                    trained ? fitted.seconds() : 0, trained ? fitted.loss() : Double.NaN, valid, config.head(),
                    model.getLearningRate(ResNets.OUTPUT), model.getConfiguration().getIterationCount());
        }

        /** metrics.json, the curves, then the checkpoint that a resumed run starts after. */
        void record(ComputationGraph model, int epoch, EpochMetrics scored) throws IOException {
            metrics.append(scored);
            Curves.write(registry.folder(version), metrics.epochs(), Labels.NAMES.subList(0, spec.head().outputs()));
            checkpoints.write(model, new Checkpoints.State(epoch + 1, plan.epochs(), plan.phase(epoch).name(),
                    plan.size(epoch), model.getConfiguration().getIterationCount(), spec.architecture(),
                    spec.head().name(), spec.channels(), version.id()));
        }
    }

    private void preflight() {
        config.recipe().precision().checkSupported();
        NativeHelpers.enable();
        out.println("train: " + NativeHelpers.report());
        String warning = SparkSetup.helperWarning();
        if (warning != null) {
            out.println("train: " + warning);
        }
        if (config.distributed().approach() == RDDTrainingApproach.Export
                && !ExportSupport.exportSupported(JavaSparkContext.fromSparkContext(spark.sparkContext()))) {
            // DL4J would refuse only after the first epoch's minibatches were prepared.
            throw new ConfigError("ich.train.rdd-approach", "export needs a file system every executor shares, but"
                    + " Spark runs on a cluster with a local default file system; set ich.spark.conf."
                    + "\"spark.hadoop.fs.defaultFS\" to an hdfs:// or s3a:// location, or use rdd-approach = direct");
        }
    }

    /** The out-of-fold slice networks of {@link OutOfFold}: trained like this version's, from the same start. */
    private ContextTraining.Folds folds(ModelVersion version, ModelSpec spec, TrainingPlan plan, PinnedSlices table) {
        OutOfFold outOfFold = new OutOfFold(JavaSparkContext.fromSparkContext(spark.sparkContext()), config,
                labelColumns(spec), out);
        return new ContextTraining.Folds() {
            @Override
            public int count() {
                return config.sequence().outOfFold() ? config.sequence().folds() : 0;
            }

            @Override
            public Column inFold(int f) {
                return outOfFold.inFold(f);
            }

            @Override
            public SliceStage network(int f) {
                try {
                    ComputationGraph trained = outOfFold.train(f, table.rows(), plan, initial(spec));
                    return new SliceStage(version.id(), version.id() + "/fold-" + (f + 1), spec.architecture(),
                            spec.channels(), spec.size(), spec.head().outputs(), config.data().neighbours(),
                            StoredModelZip.bytes(trained, false));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot build fold " + (f + 1) + "'s slice network", e);
                }
            }
        };
    }

    /** Completes the manifest (the model is registered), evaluates the version, asks for promotion. */
    private Result finish(ModelVersion version, Manifest complete, EpochMetrics lastSliceEpoch) throws IOException {
        registry.writeManifest(version, complete);
        Manifest evaluated = evaluation.evaluate(version, complete);
        if (!evaluated.equals(complete)) registry.writeManifest(version, evaluated);
        Promotion promotion = registry.promote(version);
        out.printf("train: version %s COMPLETE, valid loss %.4f, AUC(any) %.3f: %s%n", version.id(),
                complete.metrics().validWeightedLogLoss(), complete.metrics().aucAny(), version.modelZip());
        out.println("train: " + (promotion.promoted() ? "promoted to champion: " : "not promoted: ") + promotion.reason());
        return new Result(version, lastSliceEpoch.epochs(), true, lastSliceEpoch, promotion);
    }

    private TrainingPlan plan(int tableSize) {
        TrainingPlan plan = TrainingPlan.of(config.recipe(), tableSize);
        for (int size : plan.sizes()) {
            if (size > tableSize) {
                throw new ConfigError("ich.train.sizes", "size " + size + " exceeds the tensors' " + tableSize
                        + " px in the slices table (ich.tensor.size); train at most at " + tableSize
                        + " or rebuild the table with a larger ich.etl.size");
            }
        }
        return plan;
    }

    private static List<String> labelColumns(ModelSpec spec) {
        return Labels.LABEL_COLUMNS.subList(0, spec.head().outputs());
    }

    /** Where this run begins: a fresh version, or the latest RUNNING one after its last checkpoint. */
    private record Start(ModelVersion version, ComputationGraph model, int epoch) {
    }

    /** The latest RUNNING version and its newest checkpoint (none when it died before finishing an epoch). */
    private record Resumable(ModelVersion version, Optional<Checkpoints.Restored> checkpoint) {
    }

    private Optional<Resumable> resumable() throws IOException {
        if (!config.resume()) {
            return Optional.empty();
        }
        Optional<ModelVersion> running = registry.latestRunning();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Resumable(running.get(),
                new Checkpoints(registry.folder(running.get())).latest()));
    }

    private Start start(ModelSpec spec, Optional<Resumable> resumable) throws IOException {
        if (resumable.isEmpty()) {
            return new Start(registry.create(runId()), initial(spec), 0);
        }
        ModelVersion version = resumable.get().version();
        if (resumable.get().checkpoint().isEmpty()) {
            out.println("train: version " + version.id() + " is RUNNING without a checkpoint; training it from epoch 1");
            return new Start(version, initial(spec), 0);
        }
        Checkpoints.Restored restored = resumable.get().checkpoint().get();
        Checkpoints.State state = restored.state();
        if (!state.architecture().equals(spec.architecture()) || !state.head().equals(spec.head().name())
                || state.channels() != spec.channels()) {
            throw new UserError("the latest RUNNING version " + version.id() + " trains a " + state.architecture()
                    + " with a " + state.head() + " head on " + state.channels() + " channels, this configuration a "
                    + spec.architecture() + " with a " + spec.head() + " head on " + spec.channels()
                    + "; set ich.train.resume=false to start a new version");
        }
        out.println("train: resuming version " + version.id() + " after epoch " + state.epoch() + " (iteration "
                + state.iteration() + ")");
        return new Start(version, restored.model(), state.epoch());
    }

    private ComputationGraph initial(ModelSpec spec) throws IOException {
        ComputationGraph graph = config.initModel() != null ? warmStart(spec)
                : config.pretrained() == null
                ? ResNets.build(spec, config.recipe().seed())
                : ResNets.pretrained(localCopy(config.pretrained()), spec, config.recipe().seed());
        return config.recipe().precision() == Precision.FP32 ? graph
                : graph.convertDataType(config.recipe().precision().dataType());
    }

    /** The weights of an earlier model of this same network (e.g. the champion), to train on from where it stopped. */
    private ComputationGraph warmStart(ModelSpec spec) throws IOException {
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(
                localCopy(config.initModel()).toFile(), false);
        long inputs = Arrays.stream(graph.getLayers()).map(l -> l.getParam("W"))
                .filter(w -> w != null && w.rank() == 4).findFirst().map(w -> w.size(1)).orElse(-1L);
        long outputs = graph.getOutputLayer(0).getParam("W").size(1);
        if (inputs != spec.channels() || outputs != spec.head().outputs()) {
            throw new UserError("ich.train.init-model " + config.initModel() + " reads " + inputs + " channels and predicts "
                    + outputs + " labels, this configuration " + spec.channels() + " and " + spec.head().outputs()
                    + "; continue only from a model of the same network, or use ich.train.pretrained to adapt one");
        }
        out.println("train: continuing from the weights of " + config.initModel());
        // A saved graph does not keep the forward cache setting that makes its backprop cheaper.
        return ResNets.tune(graph);
    }

    /** DL4J reads models from local files; a zip on s3a/hdfs is copied down first. */
    private Path localCopy(URI uri) throws IOException {
        if ("file".equals(uri.getScheme())) {
            return Path.of(uri);
        }
        Path local = Files.createTempFile("ich-pretrained", ".zip");
        local.toFile().deleteOnExit();
        try (InputStream in = storage.open(uri)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        }
        return local;
    }

    private static String runId() {
        return "train-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
