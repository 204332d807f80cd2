package org.ich.train.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.MultiDataSet;

/** Images per second of one network in this JVM, training and inference, on one repeated minibatch. */
final class JvmThroughput {

    record Rates(double train, double infer) {
    }

    private JvmThroughput() {
    }

    static Rates measure(ComputationGraph graph, MultiDataSet batch, int warmup, int iterations) {
        long images = batch.getFeatures(0).size(0);
        for (int i = 0; i < warmup; i++) {
            graph.fit(batch);
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            graph.fit(batch);
        }
        double train = images * iterations / seconds(start);

        // Inference has its own first-call costs (no backward buffers, other oneDNN primitives), so its own warm-up.
        for (int i = 0; i < warmup; i++) {
            graph.output(false, batch.getFeatures());
        }
        start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            graph.output(false, batch.getFeatures());
        }
        return new Rates(train, images * iterations / seconds(start));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
