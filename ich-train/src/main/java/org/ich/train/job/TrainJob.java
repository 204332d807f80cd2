package org.ich.train.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.cli.UserError;
import org.ich.config.ConfigError;
import org.ich.spark.Storage;
import org.ich.train.data.PinnedSlices;
import org.ich.train.data.TrainingData;
import org.ich.train.model.Labels;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.recipe.Phase;
import org.ich.train.recipe.Precision;
import org.ich.train.recipe.Recipe;
import org.ich.train.recipe.TrainingPlan;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.Promotion;

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

    public TrainJob(SparkSession spark, TrainConfig config, ModelRegistry registry, PrintStream out) {
        this.spark = spark;
        this.config = config;
        this.registry = registry;
        this.out = out;
        this.storage = new Storage(spark.sparkContext().hadoopConfiguration());
    }

    public Result run() throws IOException {
        config.recipe().precision().checkSupported();
        NativeHelpers.enable();
        out.println("train: " + NativeHelpers.report());
        String warning = SparkSetup.helperWarning();
        if (warning != null) {
            out.println("train: " + warning);
        }
        PinnedSlices table = PinnedSlices.read(spark, config.common());
        TrainingPlan plan = plan(table.size());
        ModelSpec spec = new ModelSpec(config.architecture(), config.data().inputChannels(table.channels()),
                plan.finalSize(), config.head(), Labels.RSNA_ANY_WEIGHT);
        List<String> labelColumns = labelColumns(spec);
        TrainingData data = new TrainingData(table.rows(), config.data(), labelColumns);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        EpochTrainer trainer = new EpochTrainer(sc, config.distributed(), config.data().batchSize(), out);
        Recipe recipe = new Recipe(config.recipe());

        Start start = start(spec);
        ModelVersion version = start.version();
        Checkpoints checkpoints = new Checkpoints(storage, version.checkpoints());
        MetricsLog metrics = MetricsLog.open(storage, version.metricsJson(), version.id(), start.epoch() + 1);
        ComputationGraph model = start.model();
        out.printf("train: version %s, %s on %d x %d px x %d channels, %s head, epochs %d..%d of %d, %d workers,"
                        + " table %s at snapshot %d%n", version.id(), spec.architecture(), plan.finalSize(),
                plan.finalSize(), spec.channels(), config.head().name().toLowerCase(), start.epoch() + 1,
                plan.epochs(), plan.epochs(), trainer.workers(), table.name(), table.snapshotId());

        EpochMetrics last = null;
        long runStart = System.nanoTime();
        int done = 0;
        for (int epoch = start.epoch(); epoch < plan.epochs(); epoch++) {
            Phase phase = plan.phase(epoch);
            int size = plan.size(epoch);
            String label = String.format("epoch %d/%d train", epoch + 1, plan.epochs());
            TrainingData.Epoch slices = data.trainEpoch(epoch, size);
            if (slices.slices() == 0) {
                throw new UserError("no labelled, non-empty train slices in " + table.name()
                        + "; run `ich etl` with a label CSV (ich.etl.labels)");
            }
            if (plan.startsPhase(epoch)) {
                model = recipe.prepare(model, phase, plan.phaseEpochs(phase), trainer.stepsPerEpoch(slices.slices()));
            }
            EpochTrainer.Fitted fitted = trainer.fit(model, slices, label, config.recipe().seed() + epoch);
            model = fitted.model();
            Predictions valid = Validator.predict(sc, model, data.validBatches(size));
            if (valid.size() == 0) {
                throw new UserError("no labelled, non-empty valid slices in " + table.name()
                        + "; the split needs patients (ich.etl.split.valid)");
            }
            last = EpochMetrics.of(epoch + 1, plan.epochs(), phase.name(), size, slices.slices(), fitted.batches(),
                    fitted.seconds(), fitted.loss(), valid, config.head(), model.getLearningRate(ResNets.OUTPUT),
                    model.getConfiguration().getIterationCount());
            metrics.append(last);
            Curves.write(storage, version.plots(), metrics.epochs(), Labels.NAMES.subList(0, spec.head().outputs()));
            checkpoints.write(model, new Checkpoints.State(epoch + 1, plan.epochs(), phase.name(), size,
                    model.getConfiguration().getIterationCount(), spec.architecture(), spec.head().name(),
                    spec.channels(), version.id()));
            done++;
            double perEpoch = (System.nanoTime() - runStart) / 1e9 / done;
            out.println("train: " + last.summary() + "; run ETA "
                    + EpochMetrics.human(perEpoch * (plan.epochs() - epoch - 1)));
            if (config.stopAfterEpochs() > 0 && done >= config.stopAfterEpochs() && epoch + 1 < plan.epochs()) {
                out.printf("train: stopping after %d epoch(s) as ich.train.stop-after-epochs says; version %s stays"
                        + " RUNNING and the next `ich train` resumes it at epoch %d%n", done, version.id(), epoch + 2);
                return new Result(version, epoch + 1, false, last, null);
            }
        }
        return finish(version, model, spec, table, last, plan);
    }

    private Result finish(ModelVersion version, ComputationGraph model, ModelSpec spec, PinnedSlices table,
                          EpochMetrics last, TrainingPlan plan) throws IOException {
        try (OutputStream zip = storage.create(version.modelZip())) {
            ModelSerializer.writeModel(model, zip, false);
        }
        registry.writeManifest(version, ManifestFactory.complete(version, spec, table, last, plan, config));
        Promotion promotion = registry.promote(version);
        out.println("train: version " + version.id() + " complete: " + version.modelZip());
        out.println("train: " + promotion);
        return new Result(version, plan.epochs(), true, last, promotion);
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

    private Start start(ModelSpec spec) throws IOException {
        if (config.resume()) {
            Optional<ModelVersion> running = registry.latestRunning();
            if (running.isPresent()) {
                ModelVersion version = running.get();
                Optional<Checkpoints.Restored> restored = new Checkpoints(storage, version.checkpoints()).latest();
                if (restored.isEmpty()) {
                    out.println("train: version " + version.id() + " is RUNNING without a checkpoint; training it"
                            + " from epoch 1");
                    return new Start(version, initial(spec), 0);
                }
                Checkpoints.State state = restored.get().state();
                if (!state.architecture().equals(spec.architecture()) || !state.head().equals(spec.head().name())
                        || state.channels() != spec.channels()) {
                    throw new UserError("the latest RUNNING version " + version.id() + " trains a " + state.architecture()
                            + " / " + state.head() + " head on " + state.channels() + " channels, this configuration a "
                            + spec.architecture() + " / " + spec.head() + " head on " + spec.channels()
                            + "; set ich.train.resume=false to start a new version");
                }
                out.println("train: resuming version " + version.id() + " after epoch " + state.epoch()
                        + " (iteration " + state.iteration() + ")");
                return new Start(version, restored.get().model(), state.epoch());
            }
        }
        ModelVersion version = registry.create(runId());
        return new Start(version, initial(spec), 0);
    }

    private ComputationGraph initial(ModelSpec spec) throws IOException {
        ComputationGraph graph = config.pretrained() == null
                ? ResNets.build(spec, config.recipe().seed())
                : ResNets.pretrained(localCopy(config.pretrained()), spec, config.recipe().seed());
        return config.recipe().precision() == Precision.FP32 ? graph
                : graph.convertDataType(config.recipe().precision().dataType());
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
