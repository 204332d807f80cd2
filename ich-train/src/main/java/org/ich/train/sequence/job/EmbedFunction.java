package org.ich.train.sequence.job;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.ich.domain.Labels;
import org.ich.spark.Minibatches;
import org.ich.train.data.SliceSample;
import org.ich.train.model.SlicePredictor;
import org.ich.train.model.Tta;
import scala.collection.JavaConverters;

/**
 * Executor side of {@link SliceEmbeddings#compute}: rows of {@link SliceEmbeddings#INPUT} -> rows of
 * {@link SliceEmbeddingTable#SCHEMA}, a minibatch at a time, with the JVM's copy of the network ({@link SliceStage#prepared}).
 */
final class EmbedFunction implements FlatMapFunction<Iterator<Row>, Row> {

    private final Broadcast<SliceStage> stage;
    private final List<Tta> views;
    private final int batchSize;
    private final Timestamp computedAt;
    private final LongAccumulator done;

    EmbedFunction(Broadcast<SliceStage> stage, List<Tta> views, int batchSize, Timestamp computedAt, LongAccumulator done) {
        this.stage = stage;
        this.views = List.copyOf(views);
        this.batchSize = batchSize;
        this.computedAt = computedAt;
        this.done = done;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) return List.<Row>of().iterator();
        SliceStage s = stage.value();
        SlicePredictor predictor = new SlicePredictor(s.prepared(), s.size(), views);
        return Minibatches.lazily(rows, in -> embed(in, predictor, s));
    }

    private List<Row> embed(Iterator<Row> rows, SlicePredictor predictor, SliceStage s) {
        List<Row> inputs = new ArrayList<>(batchSize);
        List<SliceSample> samples = new ArrayList<>(batchSize);
        while (inputs.size() < batchSize && rows.hasNext()) {
            Row r = rows.next();
            inputs.add(r);
            samples.add(new SliceSample(r.getAs("key"), r.getAs("tensor"), r.<Integer>getAs("channels"),
                    r.<Integer>getAs("size"), new int[0]));
        }
        SlicePredictor.Embedded embedded = predictor.embed(samples);
        String tta = Tta.describe(views);
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Row r = inputs.get(i);
            List<Object> v = new ArrayList<>();
            v.add(r.getAs("key"));
            v.add(s.version());
            for (String column : SliceEmbeddingTable.FROM_SLICES.subList(1, SliceEmbeddingTable.FROM_SLICES.size())) {
                v.add(r.getAs(column));
            }
            List<Float> features = new ArrayList<>(embedded.features()[i].length);
            for (float x : embedded.features()[i]) features.add(x);
            // Spark's row encoder takes a Scala Seq for an array column.
            v.add(JavaConverters.asScalaBuffer(features));
            double[] p = embedded.probabilities()[i];
            for (int label = 0; label < Labels.COUNT; label++) v.add(label < p.length ? p[label] : null);
            v.add(tta);
            v.add(computedAt);
            out.add(RowFactory.create(v.toArray()));
        }
        if (done != null) done.add(inputs.size());
        return out;
    }
}
