package org.ich.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.ich.train.model.Head;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.ich.train.testing.TrainingFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An averaging worker fits exactly the minibatches it is handed, as DL4J alone would, in both RDD approaches; with
 * DL4J's worker prefetch on, it did not (what made cohort d of the quality grid train badly: README, Training
 * stability). Minibatch {@code b} holds features near {@code b} and labels {@code b % 2}, so a hook on the worker
 * can tell which minibatch it sees before and after each step. Large enough (16 x 1.5 MB) to outgrow the prefetch
 * thread's first workspace.
 */
class WorkerPrefetchTest {

    private static final int BATCHES = 16;
    private static final int BATCH = 8;
    private static final ModelSpec SPEC = ModelSpec.of("tiny", 3, 128, Head.SIX);

    /** What the worker's hook saw, in order: "pre B" / "post B" with B the minibatch its features say. */
    static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    @AfterAll
    static void stop() {
        TrainingFixture.stopSession();
    }

    @Test
    void averagingWorkersFitTheirMinibatchesUnchangedAsDl4jAloneWould(@TempDir Path work) throws Exception {
        TrainingFixture fixture = TrainingFixture.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(fixture.spark().sparkContext());
        List<MultiDataSet> batches = batches();
        for (String approach : List.of("direct", "export")) {
            DistributedConfig config = DistributedConfig.from(fixture.settings(work, "ich.train.rdd-approach=" + approach,
                    "ich.train.export-dir=\"" + work.resolve("export-" + approach).toUri() + "\""));
            ComputationGraph trained = fitOnSpark(sc, TrainingMasters.averaging(config, BATCH, 1, BATCHES, 1), batches);
            List<String> seen = List.copyOf(SEEN);
            assertEquals(2 * BATCHES, seen.size(), approach + ": every minibatch fitted once: " + seen);
            for (int i = 0; i < seen.size(); i += 2) {
                assertEquals(seen.get(i).replace("pre", "post"), seen.get(i + 1),
                        approach + ": the minibatch did not change during its step: " + seen);
            }
            assertEquals(List.of(), stepsOffTheGrid(seen), approach + ": whole minibatches, never mixed");
            INDArray alone = fitAlone(batches, seen).params();
            // Bit for bit here so far; the margin only spares the check threaded reductions' rounding (a corrupted
            // minibatch moved the parameters by up to 4).
            assertEquals(0.0, trained.params().sub(alone).amaxNumber().doubleValue(), 1e-3,
                    approach + ": the same parameters as ComputationGraph.fit on the same minibatches in this JVM");
        }
    }

    @Test
    void dl4jsWorkerPrefetchChangesMinibatchesUnderTheNetwork(@TempDir Path work) throws Exception {
        TrainingFixture fixture = TrainingFixture.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(fixture.spark().sparkContext());
        ParameterAveragingTrainingMaster prefetching = new ParameterAveragingTrainingMaster.Builder(1, BATCH)
                .batchSizePerWorker(BATCH).averagingFrequency(BATCHES).saveUpdater(true).rngSeed(1)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .workerPrefetchNumBatches(2)
                .build();
        fitOnSpark(sc, prefetching, batches());
        List<String> seen = List.copyOf(SEEN);
        long changed = 0;
        for (int i = 0; i + 1 < seen.size(); i += 2) {
            if (!seen.get(i).replace("pre", "post").equals(seen.get(i + 1))) {
                changed++;
            }
        }
        // DL4J M2 as measured: most steps see their features replaced by a later minibatch's, some a mix of two.
        // Should a DL4J release fix this, this test fails and ich could offer the prefetch again.
        assertTrue(changed > 0 || !stepsOffTheGrid(seen).isEmpty(), "prefetching changed no minibatch: " + seen);
        assertEquals(0, TrainingMasters.WORKER_PREFETCH, "ich never turns DL4J's worker prefetch on");
    }

    private static List<MultiDataSet> batches() {
        List<MultiDataSet> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            // Features in [b, b + 1): the mean names the minibatch.
            INDArray features = Nd4j.rand(DataType.FLOAT, BATCH, 3, SPEC.size(), SPEC.size()).addi(b);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, Head.SIX.outputs()).addi(b % 2);
            batches.add(new org.nd4j.linalg.dataset.MultiDataSet(features, labels));
        }
        return batches;
    }

    private static ComputationGraph fitOnSpark(JavaSparkContext sc, ParameterAveragingTrainingMaster master,
                                               List<MultiDataSet> batches) {
        master.addHook(new Witness());
        SEEN.clear();
        SparkComputationGraph spark = new SparkComputationGraph(sc, ResNets.build(SPEC, 1), master);
        try {
            spark.fitMultiDataSet(sc.parallelize(batches, 3));
        } finally {
            master.deleteTempFiles(sc);
        }
        return spark.getNetwork();
    }

    /** The same minibatches in the order the worker fitted them, with ComputationGraph.fit in this JVM. */
    private static ComputationGraph fitAlone(List<MultiDataSet> batches, List<String> seen) {
        ComputationGraph alone = ResNets.build(SPEC, 1);
        for (int i = 0; i < seen.size(); i += 2) {
            alone.fit(batches.get(Integer.parseInt(seen.get(i).substring("pre ".length()))));
        }
        return alone;
    }

    /** Steps whose features were not one whole minibatch (a mean off b + 0.5). */
    private static List<String> stepsOffTheGrid(List<String> seen) {
        return seen.stream().filter(s -> s.contains("mixed")).toList();
    }

    /** Runs on the worker: which minibatch the step is handed, and which it holds after the update. */
    static final class Witness implements TrainingHook {
        @Override
        public void preUpdate(DataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(DataSet minibatch, Model model) {
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
            SEEN.add("pre " + name(minibatch));
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
            SEEN.add("post " + name(minibatch));
        }

        private static String name(MultiDataSet minibatch) {
            double mean = minibatch.getFeatures(0).meanNumber().doubleValue();
            long b = Math.round(mean - 0.5);
            // Uniform noise over 8 x 3 x 128 x 128 values: the mean is within 0.01 of b + 0.5.
            return Math.abs(mean - (b + 0.5)) < 0.05 ? Long.toString(b) : "mixed " + mean;
        }
    }
}
