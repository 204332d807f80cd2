package org.ich.bench;

import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.ich.config.Settings;
import org.ich.dicom.PixelMedDicom;
import org.ich.etl.EtlConfig;
import org.ich.etl.SliceDecoder;
import org.ich.etl.job.EtlJob;
import org.ich.etl.job.EtlSummary;
import org.ich.spark.IchSpark;
import org.ich.spark.Storage;
import org.ich.synth.Cohort;
import org.ich.synth.CohortWriter;
import org.ich.synth.SynthConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ich bench etl}: the per-slice cost of the in-process pixel path on one core, the whole ETL job's rate on
 * Spark local[2], and, where Debian's python3-pydicom and python3-opencv are installed, the same steps in
 * pydicom + numpy + OpenCV on the same files in the same run as the baseline.
 */
public final class EtlBenchmark implements Benchmark {
    /** Measured on this machine kind when the issue was written; used only when the Python baseline cannot run. */
    static final double RECORDED_REFERENCE_MS = 2.0;

    @Override
    public String name() {
        return "etl";
    }

    /** {@code ich.bench.*}: the cohort's size and the passes over it, untimed then timed. */
    public record Config(int patients, int warmup, int passes) {
        public static Config from(Settings s) {
            return new Config(s.integer("ich.bench.patients", 1, 1000), s.integer("ich.bench.warmup-passes", 0, 100),
                    s.integer("ich.bench.passes", 1, 1000));
        }
    }

    @Override
    public void run(Settings settings, PrintStream out) throws Exception {
        Config options = Config.from(settings);
        int patients = options.patients(), warmup = options.warmup(), passes = options.passes();
        try (ScratchDir scratch = new ScratchDir("ich-bench-etl")) {
            Path tmp = scratch.path();
            Settings bench = overridden(settings, tmp, patients);
            Cohort cohort = Cohort.plan(SynthConfig.from(bench));
            new CohortWriter(new Storage(new Configuration()), line -> { }).write(cohort);
            List<byte[]> files = readAll(tmp.resolve("dicom"));
            out.printf("etl.bench.slices %d%n", files.size());

            EtlConfig cfg = EtlConfig.from(bench);
            SliceDecoder decoder = new SliceDecoder(cfg.pixels(), cfg.privacy().pseudonyms(), cfg.limits());
            double readMs = timePerSlice(files, warmup, passes, bytes -> PixelMedDicom.read(bytes, "bench"));
            double pathMs = timePerSlice(files, warmup, passes, bytes -> decoder.decode(bytes, "bench"));
            out.printf("etl.dicom_read.ms_per_slice %.3f%n", readMs);
            out.printf("etl.pixel_path.ms_per_slice %.3f%n", pathMs);

            Double referenceMs = PythonReference.run(tmp.resolve("dicom"), cfg.pixels().size(), passes, out);
            if (referenceMs != null) {
                out.printf("etl.pixel_path.speedup_vs_pydicom %.2f%n", referenceMs / pathMs);
            } else {
                out.printf("etl.pixel_path.speedup_vs_recorded_reference %.2f%n", RECORDED_REFERENCE_MS / pathMs);
            }

            try (SparkSession spark = IchSpark.session(cfg.common(), "ich-bench-etl")) {
                // A first run into another namespace pays for class loading, code generation and JIT, as a warm-up.
                Settings warm = new Settings(ConfigFactory.parseMap(Map.of("ich.namespace", "bench_warmup"))
                        .withFallback(bench.config()), bench.env());
                new EtlJob(spark, EtlConfig.from(warm), out).run();
                EtlSummary summary = new EtlJob(spark, cfg, out).run();
                double perSecond = summary.newSlices() / summary.seconds();
                int cores = spark.sparkContext().defaultParallelism();
                out.printf("etl.spark.slices_per_s %.1f%n", perSecond);
                // The job's fixed cost (session, planning, commits) dominates a benchmark-sized batch; the decode stage
                // alone is what grows with the archive.
                out.printf("etl.spark.decode_slices_per_s %.1f%n", summary.newSlices() / summary.decodeSeconds());
                out.printf("etl.spark.ms_per_slice_per_core %.3f%n", 1000.0 * cores / perSecond);
                out.printf("etl.spark.share_of_pixel_path_rate %.2f%n", perSecond / (cores * 1000.0 / pathMs));
            }
        }
    }

    private static Settings overridden(Settings settings, Path tmp, int patients) {
        Map<String, Object> o = Map.of(
                "ich.synth.patients", patients,
                "ich.synth.out", tmp.resolve("dicom").toUri().toString(),
                "ich.synth.labels", tmp.resolve("labels.csv").toUri().toString(),
                "ich.etl.input", tmp.resolve("dicom").toUri().toString(),
                "ich.etl.labels", tmp.resolve("labels.csv").toUri().toString(),
                "ich.warehouse", tmp.resolve("warehouse").toUri().toString(),
                "ich.spark.master", "local[2]",
                // The benchmark's own synthetic cohort in a scratch warehouse: the public development key is fine.
                "ich.privacy.allow-dev-key", true);
        return new Settings(ConfigFactory.parseMap(o).withFallback(settings.config()), settings.env());
    }

    interface PerSlice {
        void apply(byte[] bytes) throws Exception;
    }

    static double timePerSlice(List<byte[]> files, int warmup, int passes, PerSlice work) throws Exception {
        for (int p = 0; p < warmup; p++) for (byte[] f : files) work.apply(f);
        long start = System.nanoTime();
        for (int p = 0; p < passes; p++) for (byte[] f : files) work.apply(f);
        return (System.nanoTime() - start) / 1e6 / ((double) passes * files.size());
    }

    private static List<byte[]> readAll(Path dir) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) out.add(Files.readAllBytes(p));
        }
        return out;
    }
}
