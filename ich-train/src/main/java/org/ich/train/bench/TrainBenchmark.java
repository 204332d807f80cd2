package org.ich.train.bench;

import java.io.PrintStream;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.bench.Benchmark;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.train.job.SparkSetup;
import org.ich.train.model.Head;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ich bench train}: ResNet training and inference images/s in one JVM and parameter-averaging training
 * images/s on Spark, on synthetic 3-channel inputs with the six-label head, against PyTorch figures recorded on
 * the same machine. Prints {@code NAME VALUE} lines; {@code #} lines are context, not figures.
 */
public final class TrainBenchmark implements Benchmark {

    /** Three windows, as the training job feeds them. */
    static final int CHANNELS = 3;

    @Override
    public String name() {
        return "train";
    }

    @Override
    public void run(Settings settings, PrintStream out) throws Exception {
        TrainBenchConfig cfg = TrainBenchConfig.from(settings);
        NativeHelpers.enable();
        out.println("# " + NativeHelpers.report());
        out.printf("# batch %d, %d warm-up + %d timed iterations; pytorch reference: %s%n",
                cfg.batch(), cfg.warmupIterations(), cfg.iterations(), PytorchReference.SOURCE);
        ResNets.Tuning tuning = ResNets.Tuning.DEFAULT;
        out.printf("# graphs: %s, cache mode %s, workspaces train %s / inference %s%n", tuning.format(),
                tuning.cacheMode(), tuning.trainWorkspaces(), tuning.inferWorkspaces());
        for (String architecture : cfg.architectures()) {
            for (int size : cfg.sizes()) {
                inJvm(ModelSpec.of(architecture, CHANNELS, size, Head.SIX), cfg, out);
            }
        }
        if (cfg.spark()) {
            try (JavaSparkContext sc = new JavaSparkContext(sparkConf(CommonConfig.from(settings), cfg))) {
                for (String architecture : cfg.sparkArchitectures()) {
                    for (int size : cfg.sparkSizes()) {
                        ModelSpec spec = ModelSpec.of(architecture, CHANNELS, size, Head.SIX);
                        out.printf("train.%s.spark.img_per_s %.1f%n", key(spec), SparkThroughput.measure(sc, spec, cfg));
                        out.flush();
                    }
                }
            }
        }
    }

    private static void inJvm(ModelSpec spec, TrainBenchConfig cfg, PrintStream out) {
        ComputationGraph graph = ResNets.build(spec, 1);
        var batch = SyntheticBatch.of(cfg.batch(), spec.channels(), spec.size(), spec.head().outputs(), 1);
        JvmThroughput.Rates rates = JvmThroughput.measure(graph, batch, cfg.warmupIterations(), cfg.iterations());
        String key = key(spec);
        out.printf("train.%s.jvm.img_per_s %.1f%n", key, rates.train());
        out.printf("infer.%s.jvm.img_per_s %.1f%n", key, rates.infer());
        PytorchReference.Rates reference = PytorchReference.of(spec.architecture(), spec.size());
        if (reference != null) {
            out.printf("train.%s.pytorch.img_per_s %.1f%n", key, reference.train());
            out.printf("infer.%s.pytorch.img_per_s %.1f%n", key, reference.infer());
            out.printf("train.%s.ratio_to_pytorch %.2f%n", key, rates.train() / reference.train());
            out.printf("infer.%s.ratio_to_pytorch %.2f%n", key, rates.infer() / reference.infer());
        }
        out.flush();
        // Each network's workspaces are sized for it; release them before a bigger one needs the memory.
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    static String key(ModelSpec spec) {
        return spec.resolvedArchitecture().id() + "." + spec.size();
    }

    /** ich's Spark settings plus what DL4J training needs; spark-submit's settings win over both. */
    private static SparkConf sparkConf(CommonConfig common, TrainBenchConfig cfg) {
        SparkConf conf = new SparkConf(true);
        setIfAbsent(conf, "spark.master", cfg.sparkMaster());
        setIfAbsent(conf, "spark.app.name", "ich-bench-train");
        setIfAbsent(conf, "spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        for (Map.Entry<String, String> e : SparkSetup.forTraining(common).sparkConf().entrySet()) {
            setIfAbsent(conf, e.getKey(), e.getValue());
        }
        return conf;
    }

    private static void setIfAbsent(SparkConf conf, String key, String value) {
        if (!conf.contains(key) && value != null) {
            conf.set(key, value);
        }
    }
}
