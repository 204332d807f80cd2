package org.ich.score.job;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.score.ScoringModel;
import org.ich.score.SlicePredictor;
import org.ich.score.Tta;
import org.ich.train.data.SliceSample;
import org.ich.train.model.Labels;
import org.ich.train.model.NativeHelpers;

/**
 * Executor side of {@code ich score}: input rows ({@code key, patient_key, tensor, channels, size} then
 * {@link PredictionTable#carried()}) -> {@code predictions} rows, a minibatch at a time. The network is rebuilt from
 * the broadcast once per executor JVM and shared by its tasks.
 */
final class ScoreFunction implements FlatMapFunction<Iterator<Row>, Row> {
    private static final int CARRIED_FROM = 5;
    private static final Object LOCK = new Object();
    /** The executor's network, and which version it is; a new version replaces it. */
    private static String loadedVersion;
    private static SlicePredictor.Prepared loaded;

    private final Broadcast<ScoringModel> model;
    private final List<Tta> views;
    private final int batchSize;
    private final Timestamp scoredAt;
    private final String runId;
    private final LongAccumulator done;

    ScoreFunction(Broadcast<ScoringModel> model, List<Tta> views, int batchSize, Timestamp scoredAt, String runId,
                  LongAccumulator done) {
        this.model = model;
        this.views = List.copyOf(views);
        this.batchSize = batchSize;
        this.scoredAt = scoredAt;
        this.runId = runId;
        this.done = done;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) return List.<Row>of().iterator();
        ScoringModel m = model.value();
        SlicePredictor predictor = new SlicePredictor(network(m), m.size(), views);
        String tta = Tta.describe(views);
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                return batch.hasNext() || rows.hasNext();
            }

            @Override
            public Row next() {
                if (!batch.hasNext()) {
                    if (!rows.hasNext()) throw new NoSuchElementException();
                    batch = score(rows, predictor, m, tta).iterator();
                }
                return batch.next();
            }
        };
    }

    private List<Row> score(Iterator<Row> rows, SlicePredictor predictor, ScoringModel m, String tta) {
        List<Row> inputs = new ArrayList<>(batchSize);
        List<SliceSample> samples = new ArrayList<>(batchSize);
        while (inputs.size() < batchSize && rows.hasNext()) {
            Row r = rows.next();
            inputs.add(r);
            samples.add(new SliceSample(r.getString(0), (byte[]) r.get(2), r.getInt(3), r.getInt(4), new int[0]));
        }
        double[][] probs = predictor.predict(samples);
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) out.add(predictionRow(inputs.get(i), probs[i], m.version(), tta));
        done.add(inputs.size());
        return out;
    }

    /** In {@link PredictionTable#SCHEMA} order. */
    private Row predictionRow(Row in, double[] probs, String version, String tta) {
        Object[] v = new Object[PredictionTable.SCHEMA.size()];
        int i = 0;
        v[i++] = in.getString(0);
        v[i++] = version;
        v[i++] = in.getString(1);
        for (int c = 0; c < PredictionTable.FIRST_PROBABILITY - 3; c++) v[i++] = in.get(CARRIED_FROM + c);
        for (int label = 0; label < Labels.COUNT; label++) v[i++] = label < probs.length ? probs[label] : null;
        v[i++] = scoredAt;
        v[i++] = runId;
        v[i++] = tta;
        v[i] = in.get(in.length() - 1);
        return RowFactory.create(v);
    }

    private static SlicePredictor.Prepared network(ScoringModel m) {
        synchronized (LOCK) {
            if (!m.version().equals(loadedVersion)) {
                // Executors are other JVMs: the helper switch is per JVM and read when layers are built.
                NativeHelpers.enable();
                try {
                    loaded = SlicePredictor.prepare(
                            ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(m.modelZip()), false), m);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot rebuild model " + m.version() + " on this executor", e);
                }
                loadedVersion = m.version();
            }
            return loaded;
        }
    }
}
