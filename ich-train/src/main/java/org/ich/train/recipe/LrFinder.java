package org.ich.train.recipe;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.function.Supplier;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs a {@link LrRangeTest} on one network: each step trains one minibatch at the ramp's rate and records
 * the loss. Batches come from {@code batches}, which is asked for a fresh stream whenever one runs dry, so a
 * small table still gives the test all its steps.
 */
public final class LrFinder {

    private LrFinder() {
    }

    public static LrRangeTest run(ComputationGraph graph, LrRangeTest test, Supplier<Iterator<MultiDataSet>> batches,
                                  PrintStream out) {
        Iterator<MultiDataSet> stream = batches.get();
        int every = Math.max(1, test.steps() / 10);
        int step = 0;
        while (!test.finished()) {
            if (!stream.hasNext()) {
                stream = batches.get();
                if (!stream.hasNext()) {
                    throw new IllegalStateException("no training batches");
                }
            }
            double lr = test.nextLr();
            graph.setLearningRate(lr);
            graph.fit(stream.next());
            test.record(graph.score());
            if (++step % every == 0 || test.finished()) {
                out.printf("lr-find: step %d, lr %.3g, loss %.4f%s%n", step, lr, graph.score(),
                        test.diverged() ? " (diverged: stopping)" : "");
            }
        }
        return test;
    }
}
