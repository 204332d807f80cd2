package org.ich.train.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.bench.Benchmark;
import org.ich.bench.ScratchDir;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.job.EtlJob;
import org.ich.spark.IchSpark;
import org.ich.spark.Storage;
import org.ich.synth.Cohort;
import org.ich.synth.CohortWriter;
import org.ich.synth.SynthConfig;
import org.ich.train.data.PinnedSlices;
import org.ich.train.data.SliceSample;
import org.ich.train.data.SliceSource;
import org.ich.train.data.TrainingData;
import org.ich.train.job.SparkSetup;
import org.ich.train.job.TrainConfig;
import org.ich.train.job.TrainJob;
import org.ich.train.metrics.LabelMetrics;
import org.ich.train.metrics.LabelScore;
import org.ich.train.metrics.RsnaMetric;
import org.ich.domain.Labels;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.model.SlicePredictor;
import org.ich.train.model.Tta;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;

import com.typesafe.config.ConfigFactory;

/**
 * {@code ich bench quality}: does ich learn as well as a plain PyTorch script on the same slices? Writes a synthetic
 * cohort, runs the real ETL, then trains on the same train rows and scores the same valid rows with: PyTorch
 * (submit/bench/train_reference.py, Debian's python3-torch; the reference), DL4J in this JVM without Spark, and
 * {@code ich train} on Spark (once per entry of ich.bench.quality.spark-workers). Every run uses ich.train's recipe
 * (epochs, batch size, peak learning rate, weight decay, flip probability, seed). Prints per run AUC per label, mean
 * AUC, RSNA weighted log loss and wall seconds, then each run's ratios to the reference. A Spark run that trained a
 * context stage also prints its slice stage against its final outputs ({@link ContextComparison}).
 */
public final class QualityBenchmark implements Benchmark {

    static final String SCRIPT = "train_reference.py";

    @Override
    public String name() {
        return "quality";
    }

    /**
     * What one run measured on the valid rows, and its per-epoch inference-mode valid curve (empty when the run does
     * not report one). {@code seconds}: the whole run as a user waits for it (the reference's loop with its per-epoch
     * validation; the whole `ich train` with its validation, checkpoints and final evaluation); {@code fitSeconds}:
     * the epochs' training steps alone.
     */
    record Scored(String run, List<LabelScore> labels, double meanAuc, double loss, double seconds, double fitSeconds,
                  List<QualityGrid.Epoch> curve) {
    }

    @Override
    public void run(Settings settings, PrintStream out) throws Exception {
        QualityBenchConfig cfg = QualityBenchConfig.from(settings);
        NativeHelpers.enable();
        out.println("# " + NativeHelpers.report());
        List<CohortResult> results = new ArrayList<>();
        for (QualityBenchConfig.Cohort cohort : cfg.grid()) {
            results.add(cohort(cfg, cohort, settings, out));
        }
        QualityGrid.summarise(results, out);
    }

    /** What the runs measured on one cohort of the grid; the reference is null when it was skipped. */
    record CohortResult(String cohort, Scored reference, List<Scored> runs) {
    }

    private CohortResult cohort(QualityBenchConfig cfg, QualityBenchConfig.Cohort cohort, Settings settings,
                                PrintStream out) throws Exception {
        try (ScratchDir scratch = new ScratchDir("ich-bench-quality")) {
            Path tmp = scratch.path();
            Settings bench = cfg.overrides(settings, cohort, tmp);
            SynthConfig synth = SynthConfig.from(bench);
            new CohortWriter(new Storage(new Configuration()), line -> { }).write(Cohort.plan(synth));
            TrainConfig train = TrainConfig.from(bench);
            try (SparkSession spark = IchSpark.session(SparkSetup.forTraining(train.common(), train.distributed()),
                    "ich-bench-quality")) {
                new EtlJob(spark, EtlConfig.from(bench), commented(out)).run();
                PinnedSlices table = PinnedSlices.read(spark, train.common());
                TrainingData data = new TrainingData(table.rows(), train.data(), Labels.LABEL_COLUMNS);
                List<SliceSample> trainRows = collect(data, TrainingData.TRAIN);
                List<SliceSample> validRows = collect(data, TrainingData.VALID);
                int[][] truth = validRows.stream().map(SliceSample::labels).toArray(int[][]::new);
                String c = "quality." + cohort.name();
                out.printf("# cohort %s: %d patients (seed %d, matrix %d, %d-%d slices, bleeds %.2f, split salt %s), %d"
                                + " train and %d valid slices (labelled, non-empty), %d px x %d channels; recipe: %s, %d"
                                + " epochs, batch %d, max-lr %s, weight decay %s, augmentation %s%n", cohort.name(),
                        synth.patients(), cohort.seed(), cohort.matrix(), cohort.minSlices(), cohort.maxSlices(),
                        cohort.bleedFraction(), cohort.splitSalt(), trainRows.size(), validRows.size(), table.size(),
                        table.channels(), train.architecture(), train.recipe().epochs(), train.data().batchSize(),
                        train.recipe().maxLr(), train.recipe().weightDecay(), train.data().augmentation());
                out.printf("%s.train_slices %d%n%s.valid_slices %d%n", c, trainRows.size(), c, validRows.size());
                // A label's AUC over a handful of positive slices (often from one or two patients) moves by several
                // hundredths from one training seed to the next: these counts say how far to trust each.
                for (int label = 0; label < Labels.COUNT; label++) {
                    int at = label;
                    out.printf("%s.valid_positive_%s %d%n", c, Labels.NAMES.get(label),
                            validRows.stream().filter(s -> s.labels()[at] == 1).count());
                }
                out.flush();

                List<Scored> runs = new ArrayList<>();
                Scored reference = cfg.reference()
                        ? reference(cfg, train, trainRows, validRows, truth, tmp.resolve("reference"), out) : null;
                if (reference != null) {
                    runs.add(report(c, reference, out));
                }
                if (cfg.oneJvm()) {
                    runs.add(report(c, oneJvm(train, table, trainRows, validRows, truth), out));
                }
                for (int workers : cfg.sparkWorkers()) {
                    runs.add(report(c, spark(spark, bench, workers, tmp, table, validRows, truth, cohort.name(), out), out));
                }
                if (reference != null) {
                    for (Scored run : runs.subList(1, runs.size())) {
                        out.printf("%s.%s.mean_auc_minus_reference %.3f%n", c, run.run(), run.meanAuc() - reference.meanAuc());
                        out.printf("%s.%s.loss_ratio_to_reference %.2f%n", c, run.run(), run.loss() / reference.loss());
                        out.printf("%s.%s.wall_ratio_to_reference %.2f%n", c, run.run(), run.seconds() / reference.seconds());
                        out.printf("%s.%s.fit_ratio_to_reference %.2f%n", c, run.run(),
                                run.fitSeconds() / reference.fitSeconds());
                    }
                }
                QualityGrid.curves(cohort.name(), runs, out);
                return new CohortResult(cohort.name(), reference, reference == null ? runs : runs.subList(1, runs.size()));
            }
        }
    }

    private static List<SliceSample> collect(TrainingData data, String split) {
        List<SliceSample> samples = new ArrayList<>();
        // Benchmark-sized cohorts only: the rows come to the driver so that every run sees exactly the same ones.
        for (Row row : data.rows(split).orderBy(SliceSource.KEY).collectAsList()) {
            samples.add(SliceSource.toSample(row));
        }
        return samples;
    }

    private static Scored oneJvm(TrainConfig train, PinnedSlices table, List<SliceSample> trainRows,
                                 List<SliceSample> validRows, int[][] truth) {
        ModelSpec spec = new ModelSpec(train.architecture(), table.channels(), table.size(), train.head(),
                Labels.RSNA_ANY_WEIGHT);
        List<QualityGrid.Epoch> curve = new ArrayList<>();
        long start = System.nanoTime();
        long[] scoring = {0};
        ComputationGraph model = OneJvmTraining.fit(ResNets.build(spec, train.recipe().seed()), trainRows,
                table.size(), train.recipe(), train.data(), (epoch, trainLoss, net) -> {
                    long t = System.nanoTime();
                    double[][] p = OneJvmTraining.predict(net, validRows, table.size(), train.data().batchSize());
                    curve.add(QualityGrid.Epoch.of(epoch, trainLoss, p, truth));
                    scoring[0] += System.nanoTime() - t;
                });
        double seconds = (System.nanoTime() - start - scoring[0]) / 1e9;
        return scored("one_jvm", OneJvmTraining.predict(model, validRows, table.size(), train.data().batchSize()),
                truth, seconds, seconds, curve);
    }

    private static Scored spark(SparkSession spark, Settings bench, int workers, Path tmp, PinnedSlices table,
                                List<SliceSample> validRows, int[][] truth, String cohort, PrintStream out)
            throws Exception {
        String run = workers == 0 ? "spark_default" : "spark_" + workers + "w";
        Path work = tmp.resolve(run);
        Settings s = QualityBenchConfig.sparkRun(bench, work, workers);
        TrainConfig config = TrainConfig.from(s);
        long start = System.nanoTime();
        ModelRegistry registry = ModelRegistry.from(s);
        TrainJob.Result result = new TrainJob(spark, config, registry, commented(out)).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        ComputationGraph model = ModelSerializer.restoreComputationGraph(
                Path.of(result.version().modelZip()).toFile(), false);
        byte[] metrics = registry.folder(result.version()).read(ModelVersion.METRICS).orElseThrow();
        Scored scored = scored(run, OneJvmTraining.predict(model, validRows, table.size(), config.data().batchSize()),
                truth, seconds, QualityGrid.fitSeconds(metrics), QualityGrid.curve(metrics));
        // What `ich score` hands on for the same slices: the views of ich.score.tta averaged (the figures above are the
        // network's single view, as the reference is scored).
        List<Tta> views = Tta.read(s, "ich.score.tta");
        Scored asScored = scored(run, new SlicePredictor(model, table.size(), views).predict(validRows), truth,
                seconds, scored.fitSeconds(), List.of());
        out.printf("%s.%s.as_scored.mean_auc %.3f%n", "quality." + cohort, run, asScored.meanAuc());
        out.printf("%s.%s.as_scored.weighted_log_loss %.4f%n", "quality." + cohort, run, asScored.loss());
        out.printf("# %s %s: as scored = the views %s averaged, as ich score does%n", cohort, run, Tta.describe(views));
        Manifest manifest = registry.readManifest(result.version());
        if (manifest.context() != null) {
            ContextComparison.of(spark, config.common(), registry.folder(result.version()), manifest, validRows, seconds)
                    .report(cohort + "." + run, out);
        }
        return scored;
    }

    private static Scored reference(QualityBenchConfig cfg, TrainConfig train, List<SliceSample> trainRows,
                                    List<SliceSample> validRows, int[][] truth, Path dir, PrintStream out)
            throws Exception {
        Path script = Path.of(System.getProperty("org.ich.home", "."), "submit", "bench", SCRIPT);
        if (!Files.isRegularFile(script) || !Files.isExecutable(Path.of(cfg.python()))) {
            out.println("# pytorch reference skipped: " + script + " or " + cfg.python() + " missing");
            return null;
        }
        Files.createDirectories(dir);
        export(dir, "train", trainRows);
        export(dir, "valid", validRows);
        List<String> command = List.of(cfg.python(), script.toString(), dir.toString(), train.architecture(),
                Integer.toString(train.recipe().epochs()), Integer.toString(train.data().batchSize()),
                Double.toString(train.recipe().maxLr()), Double.toString(train.recipe().weightDecay()),
                Double.toString(train.data().augmentation().flipProbability()), Long.toString(train.recipe().seed()),
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        ProcessBuilder plain = new ProcessBuilder(command).redirectErrorStream(true);
        // A plain script as its users run it: without the allocator settings ich's launchers add for ND4J, which
        // speed PyTorch up as well (measured 1.8x at 64 px) and would make the reference another program.
        plain.environment().remove("GLIBC_TUNABLES");
        Process p = plain.start();
        Map<String, String> figures = new LinkedHashMap<>();
        List<QualityGrid.Epoch> curve = new ArrayList<>();
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; last = line) {
                if (line.startsWith(QualityGrid.REFERENCE_EPOCH)) {
                    curve.add(QualityGrid.Epoch.parse(line));
                } else if (line.startsWith("reference.")) {
                    String[] parts = line.split(" ", 2);
                    figures.put(parts[0], parts[1]);
                } else if (line.startsWith("# ")) {
                    out.println(line);
                    out.flush();
                }
            }
        }
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0 || !figures.containsKey("reference.train_seconds")
                || !figures.containsKey("reference.valid_seconds")) {
            out.println("# pytorch reference skipped (needs Debian's python3-torch and python3-torchvision): " + last);
            return null;
        }
        out.println("# pytorch " + figures.get("reference.torch_version") + ", " + SCRIPT);
        double[][] probs = Npy.readFloat32Matrix(dir.resolve("reference_valid_p.npy"), Labels.COUNT);
        double fit = Double.parseDouble(figures.get("reference.train_seconds"));
        return scored("reference", probs, truth, fit + Double.parseDouble(figures.get("reference.valid_seconds")), fit,
                curve);
    }

    /** The rows as the reference reads them: the tensors' own bytes and the 0/1 labels. */
    private static void export(Path dir, String split, List<SliceSample> rows) throws Exception {
        SliceSample first = rows.get(0);
        int plane = first.channels() * first.size() * first.size();
        byte[] x = new byte[rows.size() * plane];
        byte[] y = new byte[rows.size() * Labels.COUNT];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).tensor(), 0, x, i * plane, plane);
            for (int j = 0; j < Labels.COUNT; j++) {
                y[i * Labels.COUNT + j] = (byte) rows.get(i).labels()[j];
            }
        }
        Npy.writeUint8(dir.resolve(split + "_x.npy"), x, rows.size(), first.channels(), first.size(), first.size());
        Npy.writeUint8(dir.resolve(split + "_y.npy"), y, rows.size(), Labels.COUNT);
    }

    private static Scored scored(String run, double[][] probs, int[][] truth, double seconds, double fitSeconds,
                                 List<QualityGrid.Epoch> curve) {
        List<LabelScore> labels = LabelMetrics.compute(probs, truth, Labels.NAMES);
        double mean = labels.stream().mapToDouble(LabelScore::auc).filter(a -> !Double.isNaN(a)).average().orElse(Double.NaN);
        return new Scored(run, labels, mean, RsnaMetric.weightedLogLoss(probs, truth), seconds, fitSeconds,
                List.copyOf(curve));
    }

    private static Scored report(String prefix, Scored run, PrintStream out) {
        for (LabelScore label : run.labels()) {
            out.printf("%s.%s.auc.%s %.3f%n", prefix, run.run(), label.label(), label.auc());
        }
        out.printf("%s.%s.mean_auc %.3f%n", prefix, run.run(), run.meanAuc());
        out.printf("%s.%s.weighted_log_loss %.4f%n", prefix, run.run(), run.loss());
        out.printf("%s.%s.wall_s %.1f%n", prefix, run.run(), run.seconds());
        out.printf("%s.%s.fit_s %.1f%n", prefix, run.run(), run.fitSeconds());
        out.flush();
        return run;
    }

    /** The training job's own progress lines, as comments between the figures. */
    private static PrintStream commented(PrintStream out) {
        return new PrintStream(new OutputStream() {
            private boolean lineStart = true;

            @Override
            public void write(int b) {
                if (lineStart) {
                    out.print("# ");
                }
                out.write(b);
                lineStart = b == '\n';
            }
        }, true, StandardCharsets.UTF_8);
    }
}
