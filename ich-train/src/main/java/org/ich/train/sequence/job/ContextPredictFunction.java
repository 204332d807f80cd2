package org.ich.train.sequence.job;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.train.sequence.ContextFile;
import org.ich.train.sequence.SeriesExample;
import org.ich.train.sequence.SeriesSteps;

/**
 * Executor side of scoring series with a context stage (validation in training, and {@code ich score}): a partition's
 * series, a minibatch at a time, to their {@link SeriesScores}. The network is rebuilt once per task from the
 * broadcast; it is small next to the slice network.
 */
public final class ContextPredictFunction implements FlatMapFunction<Iterator<SeriesBlock>, SeriesScores> {
    private final Broadcast<ContextStage> stage;
    private final int batchSize;

    public ContextPredictFunction(Broadcast<ContextStage> stage, int batchSize) {
        this.stage = stage;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<SeriesScores> call(Iterator<SeriesBlock> blocks) {
        if (!blocks.hasNext()) return List.<SeriesScores>of().iterator();
        ContextStage s = stage.value();
        ContextFile file = s.file();
        ComputationGraph net;
        try {
            net = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(s.modelZip()), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the context stage of " + s.version() + " on this executor", e);
        }
        List<SeriesScores> out = new ArrayList<>();
        List<SeriesExample> batch = new ArrayList<>(batchSize);
        while (blocks.hasNext()) {
            batch.add(blocks.next().example());
            if (batch.size() == batchSize || !blocks.hasNext()) {
                List<SeriesSteps.Scores> scored = SeriesSteps.predict(net, batch, file.spec(), file.scaling(), batchSize);
                for (int i = 0; i < batch.size(); i++) {
                    SeriesSteps.Scores sc = scored.get(i);
                    out.add(new SeriesScores(sc.seriesKey(), sc.sliceKeys().toArray(String[]::new), sc.slices(),
                            sc.seriesAny(), batch.get(i).labels()));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }
}
