package org.ich.score.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.ich.score.ScoringModel;
import org.ich.spark.Minibatches;
import org.ich.train.model.SlicePredictor;
import org.ich.train.model.Tta;
import org.ich.train.data.SliceSample;

/**
 * Executor side of {@link HemorrhageModel#transform}: each input row, followed by the model's probabilities, a minibatch
 * at a time. The network is rebuilt from the broadcast once per executor JVM and shared by its tasks.
 */
final class PredictFunction implements FlatMapFunction<Iterator<Row>, Row> {
    /**
     * Where the inputs sit in a row (looked up by name on the driver), how many leading columns the output carries,
     * and how many slices each tensor stacks (3 for 2.5D).
     */
    record Columns(int tensor, int channels, int size, int carried, int stacked) implements Serializable {
    }

    private final Broadcast<ScoringModel> model;
    private final List<Tta> views;
    private final int batchSize;
    private final Columns columns;
    private final LongAccumulator done;

    PredictFunction(Broadcast<ScoringModel> model, List<Tta> views, int batchSize, Columns columns, LongAccumulator done) {
        this.model = model;
        this.views = List.copyOf(views);
        this.batchSize = batchSize;
        this.columns = columns;
        this.done = done;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) return List.<Row>of().iterator();
        ScoringModel m = model.value();
        SlicePredictor predictor = new SlicePredictor(m.sliceStage().prepared(), m.size(), views);
        long[] seen = {0};
        return Minibatches.lazily(rows, in -> {
            List<Row> scored = score(in, predictor, m, seen[0]);
            seen[0] += scored.size();
            return scored;
        });
    }

    private List<Row> score(Iterator<Row> rows, SlicePredictor predictor, ScoringModel m, long seen) {
        List<Row> inputs = new ArrayList<>(batchSize);
        List<SliceSample> samples = new ArrayList<>(batchSize);
        while (inputs.size() < batchSize && rows.hasNext()) {
            Row r = rows.next();
            int channels = r.getInt(columns.channels()) * columns.stacked();
            if (channels != m.channels()) {
                throw new IllegalArgumentException("model " + m.version() + " reads " + m.channels() + " channels but "
                        + where(seen + inputs.size()) + " has " + channels
                        + (columns.stacked() > 1 ? " (3 stacked slices)" : "") + "; score slices of the windows it was trained on");
            }
            inputs.add(r);
            samples.add(new SliceSample(where(seen + inputs.size() - 1), (byte[]) r.get(columns.tensor()), channels,
                    r.getInt(columns.size()), new int[0]));
        }
        double[][] probs = predictor.predict(samples);
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) out.add(withProbabilities(inputs.get(i), probs[i]));
        if (done != null) done.add(inputs.size());
        return out;
    }

    private Row withProbabilities(Row in, double[] probs) {
        Object[] v = new Object[columns.carried() + probs.length];
        for (int i = 0; i < columns.carried(); i++) v[i] = in.get(i);
        for (int label = 0; label < probs.length; label++) v[columns.carried() + label] = probs[label];
        return RowFactory.create(v);
    }

    /** Names a row without its columns' values, which may identify a patient. */
    private static String where(long row) {
        TaskContext task = TaskContext.get();
        return "row " + row + (task == null ? "" : " of partition " + task.partitionId());
    }
}
