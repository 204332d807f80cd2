package org.ich.score.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.bench.Benchmark;
import org.ich.bench.ScratchDir;
import org.ich.config.Settings;
import org.ich.domain.Labels;
import org.ich.etl.EtlConfig;
import org.ich.etl.job.EtlJob;
import org.ich.etl.job.SliceTable;
import org.ich.score.ModelChoice;
import org.ich.score.ScoreConfig;
import org.ich.score.ScoringModel;
import org.ich.train.model.SlicePredictor;
import org.ich.train.model.Tta;
import org.ich.score.job.ScoreJob;
import org.ich.score.job.ScoreSummary;
import org.ich.spark.IchSpark;
import org.ich.spark.Storage;
import org.ich.synth.Cohort;
import org.ich.synth.CohortWriter;
import org.ich.synth.SynthConfig;
import org.ich.train.data.SliceSample;
import org.ich.train.model.Head;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.registry.Manifest;

/**
 * {@code ich bench score}: the scoring job's rate from {@code slices} to {@code predictions} on Spark (reading, 2.5D
 * joins when used, inference, the MERGE and the study rollup), against the same network scoring the same slices in
 * batches of the same size in one JVM, the ceiling a distributed job can approach.
 */
public final class ScoreBenchmark implements Benchmark {
    private static final String PREFIX = "ich.bench.score.";

    @Override
    public String name() {
        return "score";
    }

    /** {@code ich.bench.score.*}: the cohort, and the untrained network timed on it. */
    public record Config(int patients, int size, String architecture) {
        public static Config from(Settings s) {
            return new Config(s.integer(PREFIX + "patients", 1, 10_000), s.integer(PREFIX + "size", ModelSpec.MIN_SIZE, 2048),
                    s.string(PREFIX + "architecture"));
        }
    }

    @Override
    public void run(Settings settings, PrintStream out) throws Exception {
        Config options = Config.from(settings);
        try (ScratchDir scratch = new ScratchDir("ich-bench-score")) {
            Path tmp = scratch.path();
            Settings bench = overridden(settings, tmp, options);
            new CohortWriter(new Storage(new Configuration()), line -> { }).write(Cohort.plan(SynthConfig.from(bench)));
            ScoreConfig cfg = ScoreConfig.from(bench);
            try (SparkSession spark = IchSpark.session(cfg.common(), "ich-bench-score")) {
                new EtlJob(spark, EtlConfig.from(bench), out).run();
                List<SliceSample> samples = new ArrayList<>();
                for (Row r : spark.table(cfg.common().table(SliceTable.NAME))
                        .select(SliceTable.KEY, "tensor", "tensor_channels", "tensor_size").collectAsList()) {
                    samples.add(new SliceSample(r.getString(0), (byte[]) r.get(1), r.getInt(2), r.getInt(3), new int[0]));
                }
                int size = options.size();
                NativeHelpers.enable();
                ModelSpec spec = ModelSpec.of(options.architecture(), samples.get(0).channels(), size, Head.SIX);
                ScoringModel model = ModelChoice.of("bench-" + spec.architecture(), spec.architecture(),
                        new Manifest.Input(spec.channels(), size, "", "NCHW"), Labels.NAMES, ResNets.build(spec, 42));
                out.printf("score.bench.slices %d%n", samples.size());
                out.printf("score.bench.model %s %dpx tta %s batch %d%n", spec.architecture(), size,
                        Tta.describe(cfg.tta()), cfg.batchSize());

                // The same network, prepared as the executors prepare it (channels-last), and as trained (NCHW).
                ComputationGraph trained = ResNets.build(spec, 42);
                SlicePredictor predictor = new SlicePredictor(model.prepare(trained), size, cfg.tta());
                SlicePredictor asTrained = new SlicePredictor(trained, size, cfg.tta());
                inJvm(predictor, samples, cfg.batchSize()); // warm-up: JIT, oneDNN primitives, workspaces
                inJvm(asTrained, samples, cfg.batchSize());
                double before = samples.size() / inJvm(predictor, samples, cfg.batchSize());
                double nchw = samples.size() / inJvm(asTrained, samples, cfg.batchSize());
                out.printf("score.inference.channels_last_speedup %.2f%n", before / nchw);

                // An untimed run first pays for Spark's code generation and the tables' creation.
                new ScoreJob(spark, cfg, model, out).run();
                ScoreSummary timed = new ScoreJob(spark, cfg, model, out).run();
                // The baseline is timed before and after the job and averaged, so a machine that gets busier or
                // quieter during the benchmark moves both sides of the ratio alike.
                double after = samples.size() / inJvm(predictor, samples, cfg.batchSize());
                double jvmRate = (before + after) / 2;
                out.printf("score.inference.slices_per_s %.1f%n", jvmRate);
                out.printf("score.inference.spread %.2f%n", Math.abs(before - after) / jvmRate);
                out.printf("score.spark.slices_per_s %.1f%n", timed.slicesPerSecond());
                out.printf("score.spark.inference_stage_slices_per_s %.1f%n", timed.scored() / timed.inferenceSeconds());
                out.printf("score.ratio_to_inference %s%n", Benchmark.significant(timed.slicesPerSecond() / jvmRate));
            }
        }
    }

    /** Seconds to score every sample once. */
    private static double inJvm(SlicePredictor predictor, List<SliceSample> samples, int batch) {
        long t0 = System.nanoTime();
        for (int i = 0; i < samples.size(); i += batch) {
            predictor.predict(samples.subList(i, Math.min(samples.size(), i + batch)));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Settings overridden(Settings settings, Path tmp, Config options) {
        int size = options.size();
        Map<String, Object> o = Map.of(
                "ich.synth.patients", options.patients(),
                "ich.synth.matrix", 256,
                "ich.synth.out", tmp.resolve("dicom").toUri().toString(),
                "ich.synth.labels", tmp.resolve("labels.csv").toUri().toString(),
                "ich.etl.input", tmp.resolve("dicom").toUri().toString(),
                "ich.etl.size", size,
                "ich.warehouse", tmp.resolve("warehouse").toUri().toString(),
                // The cohort is the benchmark's own synthetic phantoms: the public development key is enough.
                "ich.privacy.allow-dev-key", true,
                // Every timed run scores every slice, replacing the previous run's rows as a rescoring would.
                "ich.score.select", "all",
                "ich.spark.master", "local[2]");
        return new Settings(ConfigFactory.parseMap(o).withFallback(settings.config()), settings.env());
    }
}
