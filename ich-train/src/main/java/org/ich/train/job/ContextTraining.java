package org.ich.train.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.domain.Split;
import org.ich.etl.job.SliceTable;
import org.ich.spark.Progress;
import org.ich.spark.Storage;
import org.ich.train.data.Seeds;
import org.ich.train.model.ResNets;
import org.ich.train.model.StoredModelZip;
import org.ich.train.model.Tta;
import org.ich.train.registry.VersionFolder;
import org.ich.train.sequence.ContextFile;
import org.ich.train.sequence.ContextModels;
import org.ich.train.sequence.ContextSpec;
import org.ich.train.sequence.SequenceConfig;
import org.ich.train.sequence.SeriesExample;
import org.ich.train.sequence.SeriesSteps;
import org.ich.train.sequence.StepScaling;
import org.ich.train.sequence.job.ContextPredictFunction;
import org.ich.train.sequence.job.ContextStage;
import org.ich.train.sequence.job.SeriesBlock;
import org.ich.train.sequence.job.SeriesRows;
import org.ich.train.sequence.job.SeriesScores;
import org.ich.train.sequence.job.SliceEmbeddingTable;
import org.ich.train.sequence.job.SliceEmbeddings;
import org.ich.train.sequence.job.SliceStage;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * The context stage of {@code ich train}, after the slice stage finished: embed the train and valid slices with the
 * version's slice network (kept in {@code slice_embeddings}), then fit the sequence model on the train series with
 * parameter averaging (one series = one example, minibatches padded and masked), validating on the valid series and
 * checkpointing after every epoch. A run killed here resumes after its last context checkpoint, reusing the embeddings
 * and the standardisation it had written.
 */
final class ContextTraining {
    static final String METRICS = ContextFile.DIR + "/metrics.json";

    /**
     * The trained stage, or (stopped early) how far it got.
     *
     * @param sliceStage the slice stage's figures on the same valid slices (an untrained context stage's)
     */
    record Result(ContextFile file, ComputationGraph model, ContextEpoch last, ContextEpoch sliceStage, int epochsDone,
                  boolean finished, double seconds) {
    }

    /** Where the context stage stands after an epoch; written after its checkpoint zip. */
    record State(int epoch, int epochs, String kind, int hidden, String version) {
    }

    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final TrainConfig config;
    private final SequenceConfig sequence;
    private final VersionFolder folder;
    private final PrintStream out;
    private final Storage storage;
    private final EpochCheckpoints<State> checkpoints;

    /** @param storage where ich.train.init-model is read from */
    ContextTraining(SparkSession spark, TrainConfig config, VersionFolder folder, Storage storage, PrintStream out) {
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.config = config;
        this.sequence = config.sequence();
        this.folder = folder;
        this.storage = storage;
        this.out = out;
        this.checkpoints = new EpochCheckpoints<>(folder, "context-epoch-", State.class);
    }

    /**
     * @param table     the {@code slices} table at the run's snapshot
     * @param folds     out-of-fold networks for the train slices, trained only if their embeddings are not stored yet
     * @param maxEpochs stop after this many epochs of this run (0 = run to the end)
     */
    Result run(SliceStage stage, Dataset<Row> table, ComputationGraph sliceNetwork, Folds folds, int maxEpochs)
            throws IOException {
        long t0 = System.nanoTime();
        if (sliceNetwork.getVertex(ResNets.FEATURES) == null) {
            throw new UserError("the slice network of " + stage.version() + " has no '" + ResNets.FEATURES + "' vertex to"
                    + " take embeddings from (a pretrained network of another shape); set ich.train.sequence.enabled=false");
        }
        Dataset<Row> embedded = embeddings(stage, table, folds);
        int outputs = stage.outputs();
        List<Column> labelColumns = new ArrayList<>(List.of(col(SliceTable.KEY).as("label_slice")));
        for (String c : Labels.LABEL_COLUMNS.subList(0, outputs)) labelColumns.add(col(c));
        Dataset<Row> labels = table.select(labelColumns.toArray(Column[]::new));
        Dataset<Row> rows = embedded.join(labels, embedded.col(SliceTable.KEY).equalTo(labels.col("label_slice")));
        JavaRDD<SeriesBlock> train = SeriesRows.labelled(rows.where(col("split").equalTo(lit(Split.TRAIN))), outputs)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<SeriesBlock> valid = SeriesRows.labelled(rows.where(col("split").equalTo(lit(Split.VALID))), outputs)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            long trainSeries = train.count(), validSeries = valid.count();
            if (trainSeries == 0 || validSeries == 0) {
                throw new UserError("the context stage needs labelled series in both train and valid (found " + trainSeries
                        + " and " + validSeries + "); label every slice of a series, or set ich.train.sequence.enabled=false");
            }
            ContextFile file = file(stage, embedded, outputs);
            Optional<EpochCheckpoints.Restored<State>> checkpoint = checkpoints.latest();
            ComputationGraph model;
            int first;
            if (checkpoint.isPresent()) {
                model = checkpoint.get().model();
                first = checkpoint.get().state().epoch();
                out.printf("train: context stage resumes after epoch %d of %d%n", first, sequence.epochs());
            } else {
                model = ContextModels.build(file.spec(), config.recipe().seed());
                warmStart(model);
                model.setLearningRate(sequence.learningRate());
                first = 0;
            }
            out.printf("train: context stage, %s of %d units over %d-wide embeddings (%s), %d train and %d valid series,"
                            + " %d series per minibatch, epochs %d..%d%n", file.spec().kind().name().toLowerCase(),
                    file.spec().hidden(), file.spec().embedding(), file.views(), trainSeries, validSeries,
                    sequence.batchSize(), first + 1, sequence.epochs());
            // An untrained context stage outputs the slice stage's probabilities: its figures are the baseline.
            ContextEpoch sliceStage = ContextEpoch.of(0, sequence.epochs(), trainSeries, Double.NaN,
                    validate(ContextModels.build(file.spec(), config.recipe().seed()), valid, stage), 0);
            out.printf("train: context stage baseline, the slice stage on the same valid slices: valid loss %.4f, AUC(any)"
                    + " %.3f, series AUC(any) %.3f%n", sliceStage.validLoss(), sliceStage.auc(Labels.NAMES.get(Labels.ANY)),
                    sliceStage.seriesAucAny());
            MetricsLog log = MetricsLog.open(folder, METRICS, first + 1);
            ContextEpoch last = null;
            int done = 0;
            for (int epoch = first; epoch < sequence.epochs(); epoch++) {
                long e0 = System.nanoTime();
                Fit fit = fit(model, train, trainSeries, file, epoch);
                model = fit.model();
                last = ContextEpoch.of(epoch + 1, sequence.epochs(), trainSeries, fit.loss(), validate(model, valid, stage),
                        (System.nanoTime() - e0) / 1e9);
                log.append(last.toJson());
                checkpoints.write(model, epoch + 1, new State(epoch + 1, sequence.epochs(), sequence.kind().name(),
                        sequence.hidden(), stage.version()));
                out.println("train: " + last.summary());
                done++;
                if (maxEpochs > 0 && done >= maxEpochs && epoch + 1 < sequence.epochs()) {
                    return new Result(file, model, last, sliceStage, epoch + 1, false, (System.nanoTime() - t0) / 1e9);
                }
            }
            if (last == null) {
                // Killed after the last checkpoint but before the version was completed: only the figures are missing.
                last = ContextEpoch.of(sequence.epochs(), sequence.epochs(), trainSeries, Double.NaN,
                        validate(model, valid, stage), 0);
            }
            ComputationGraph trained = model;
            folder.replace(ContextFile.ZIP, o -> StoredModelZip.write(trained, o, false));
            return new Result(file, model, last, sliceStage, sequence.epochs(), true, (System.nanoTime() - t0) / 1e9);
        } finally {
            train.unpersist(false);
            valid.unpersist(false);
        }
    }

    /**
     * With ich.train.init-model (the nightly run passes the champion's model.zip), the context stage continues from the
     * weights of that version's context stage when it has one of the same shape; the optimiser starts afresh, and the
     * standardisation is this version's own (its slice stage moved on too).
     */
    private void warmStart(ComputationGraph model) throws IOException {
        if (config.initModel() == null) return;
        String zip = config.initModel().toString();
        URI sibling = URI.create(zip.substring(0, zip.lastIndexOf('/') + 1) + ContextFile.ZIP);
        Optional<byte[]> bytes = storage.fs(sibling).exists(new Path(sibling))
                ? Optional.of(storage.readAll(sibling)) : Optional.empty();
        if (bytes.isEmpty()) {
            out.println("train: context stage starts from zero: " + config.initModel() + " has no context stage beside it");
            return;
        }
        ComputationGraph earlier = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.get()), false);
        if (earlier.numParams() != model.numParams()) {
            out.println("train: context stage starts from zero: the one at " + sibling + " has another shape");
            return;
        }
        model.setParams(earlier.params());
        out.println("train: context stage continuing from the weights of " + sibling);
    }

    /** Out-of-fold slice networks for the train slices' embeddings ({@link OutOfFold}); none below two folds. */
    interface Folds {
        int count();

        /** Whether a row of {@code slices} is a train slice of fold {@code f}. */
        Column inFold(int f);

        /** Fold {@code f}'s slice network, trained now. */
        SliceStage network(int f);
    }

    /**
     * The train and valid slices' embeddings by this version, computed (and merged into {@code slice_embeddings})
     * unless a killed run of this version had stored them all: valid slices by the version's own slice network, train
     * slices by their fold's network (or by the version's own without folds).
     */
    private Dataset<Row> embeddings(SliceStage stage, Dataset<Row> table, Folds folds) {
        CommonConfig common = config.common();
        Column splits = col("split").isin(Split.TRAIN, Split.VALID);
        long wanted = table.where(splits).count();
        SliceEmbeddingTable.ensure(spark, common);
        Dataset<Row> stored = spark.table(common.table(SliceEmbeddingTable.NAME))
                .where(col("model_version").equalTo(lit(stage.version())).and(splits));
        if (stored.count() != wanted) {
            out.printf("train: context stage, embedding %d train and valid slices with %s's slice network%s (%s)%n",
                    wanted, stage.version(), folds.count() == 0 ? "" : " (train slices out of " + folds.count() + " folds)",
                    Tta.describe(sequence.views()));
            if (folds.count() == 0) {
                embed(stage, table, table.where(splits), wanted);
            } else {
                Dataset<Row> valid = table.where(col("split").equalTo(lit(Split.VALID)));
                embed(stage, table, valid, valid.count());
                for (int f = 0; f < folds.count(); f++) {
                    Dataset<Row> fold = table.where(folds.inFold(f));
                    long count = fold.count();
                    out.printf("train: context stage, fold %d/%d: a slice network without its %d train slices%n", f + 1,
                            folds.count(), count);
                    embed(folds.network(f), table, fold, count);
                }
            }
        }
        return spark.table(common.table(SliceEmbeddingTable.NAME))
                .where(col("model_version").equalTo(lit(stage.version())).and(splits));
    }

    private void embed(SliceStage network, Dataset<Row> table, Dataset<Row> slices, long count) {
        LongAccumulator done = sc.sc().longAccumulator("ich.train.embedded");
        Dataset<Row> computed;
        try (Progress ignored = new Progress("train: embeddings", count, done, out, Duration.ofSeconds(20))) {
            // Kept while merged: Iceberg's MERGE reads its source more than once, and the CNN should run once.
            computed = SliceEmbeddings.compute(spark, network, table, slices, sequence.views(), config.data().batchSize(),
                    Timestamp.from(Instant.now()), done).persist(StorageLevel.MEMORY_AND_DISK_SER());
            computed.count();
        }
        try {
            SliceEmbeddingTable.merge(spark, config.common(), computed);
        } finally {
            computed.unpersist(false);
        }
    }

    /** The stage's shape and standardisation: as a killed run of this version wrote them, else fitted on train. */
    private ContextFile file(SliceStage stage, Dataset<Row> embedded, int outputs) throws IOException {
        Optional<byte[]> written = folder.read(ContextFile.JSON);
        if (written.isPresent()) return ContextFile.fromJson(written.get());
        StepScaling scaling = scaling(embedded.where(col("split").equalTo(lit(Split.TRAIN))));
        ContextSpec spec = new ContextSpec(sequence.kind(), scaling.mean().length, outputs, sequence.hidden(), outputs,
                Labels.RSNA_ANY_WEIGHT);
        ContextFile file = new ContextFile(spec, scaling, Tta.describe(sequence.views()), stage.version());
        folder.replace(ContextFile.JSON, file.toJson());
        return file;
    }

    /** Mean and standard deviation of each embedding feature over the train slices, summed on the executors. */
    static StepScaling scaling(Dataset<Row> train) {
        double[][] sums = train.select(SliceEmbeddingTable.EMBEDDING).javaRDD().map(r -> {
            List<Float> e = r.getList(0);
            double[][] s = new double[3][e.size()];
            for (int i = 0; i < e.size(); i++) {
                s[0][i] = e.get(i);
                s[1][i] = (double) e.get(i) * e.get(i);
            }
            s[2][0] = 1;
            return s;
        }).treeAggregate(null, ContextTraining::add, ContextTraining::add);
        if (sums == null) throw new UserError("no train slices were embedded");
        return StepScaling.ofMoments(sums[0], sums[1], sums[2][0]);
    }

    private static double[][] add(double[][] a, double[][] b) {
        if (a == null) return b;
        if (b == null) return a;
        for (int k = 0; k < 2; k++) for (int i = 0; i < a[k].length; i++) a[k][i] += b[k][i];
        a[2][0] += b[2][0];
        return a;
    }

    private record Fit(ComputationGraph model, double loss) {
    }

    /**
     * One epoch: the train series in a fresh order (a keyed hash of seed, epoch and series), cut into padded minibatches
     * of ich.train.sequence.batch-size series, fitted in averaging rounds of ich.train.averaging-frequency minibatches
     * per replica.
     */
    private Fit fit(ComputationGraph model, JavaRDD<SeriesBlock> train, long trainSeries, ContextFile file, int epoch) {
        int batch = sequence.batchSize();
        long seed = config.recipe().seed();
        long batches = (trainSeries + batch - 1) / batch;
        int workers = EpochTrainer.replicas(sc, config.distributed());
        int frequency = (int) Math.max(1, Math.min(config.distributed().averagingFrequency(),
                (batches + workers - 1) / workers));
        ContextSpec spec = file.spec();
        StepScaling scaling = file.scaling();
        int partitions = (int) Math.max(1, Math.min(batches, (long) workers * 2));
        JavaRDD<MultiDataSet> minibatches = train
                .mapToPair(b -> new Tuple2<>(Seeds.of(seed, epoch, b.series()), b))
                .sortByKey()
                .values()
                .zipWithIndex()
                .mapToPair(p -> new Tuple2<>(p._2() / batch, p))
                .groupByKey(partitions)
                .sortByKey()
                .map(g -> {
                    List<Tuple2<SeriesBlock, Long>> members = new ArrayList<>();
                    g._2().forEach(members::add);
                    members.sort((a, b) -> Long.compare(a._2(), b._2()));
                    List<SeriesExample> examples = new ArrayList<>(members.size());
                    for (Tuple2<SeriesBlock, Long> m : members) examples.add(m._1().example());
                    return SeriesSteps.batch(examples, spec, scaling);
                });
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, batch)
                .batchSizePerWorker(batch)
                .averagingFrequency(frequency)
                .workerPrefetchNumBatches(TrainingMasters.WORKER_PREFETCH)
                // The minibatches are made here, padded and masked per series: DL4J must fit them as they are.
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .saveUpdater(true)
                .rngSeed(seed + epoch)
                .build();
        SparkComputationGraph net = new SparkComputationGraph(sc, model, master);
        try {
            net.fitMultiDataSet(minibatches);
        } finally {
            master.deleteTempFiles(sc);
        }
        return new Fit(net.getNetwork(), net.getScore());
    }

    /** Scores the valid series on the executors and brings back their probabilities and labels. */
    private List<SeriesScores> validate(ComputationGraph model, JavaRDD<SeriesBlock> valid, SliceStage stage) throws IOException {
        Optional<byte[]> json = folder.read(ContextFile.JSON);
        Broadcast<ContextStage> broadcast = sc.broadcast(new ContextStage(stage.version(), json.orElseThrow(),
                StoredModelZip.bytes(model, false)));
        try {
            return valid.mapPartitions(new ContextPredictFunction(broadcast, sequence.batchSize())).collect();
        } finally {
            broadcast.destroy();
        }
    }
}
