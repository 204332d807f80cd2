package org.ich.score.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.score.testing.ScoringFixture;
import org.ich.domain.Labels;
import org.ich.etl.job.SliceTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trained model as a Spark ML Model, on local[2] with a model the real training job made. */
class HemorrhageModelTest {
    static ScoringFixture fixture;

    @BeforeAll
    static void fixture() throws IOException {
        fixture = ScoringFixture.get();
    }

    static SparkSession spark() {
        return fixture.spark();
    }

    static String versionFolder(String version) {
        return fixture.dir().resolve("models").resolve("versions").resolve(version).toUri().toString();
    }

    static Dataset<Row> slices() {
        return spark().table("slices");
    }

    /** The probability columns of each row, by slice_key (float32 networks: batches of other sizes differ by ~1e-7). */
    static List<double[]> probabilities(Dataset<Row> scored, String... columns) {
        return scored.orderBy(SliceTable.KEY).collectAsList().stream().map(r -> {
            double[] p = new double[columns.length];
            for (int i = 0; i < columns.length; i++) p[i] = r.getDouble(r.fieldIndex(columns[i]));
            return p;
        }).toList();
    }

    static String[] outputs() {
        return Labels.NAMES.stream().map(l -> "p_" + l).toArray(String[]::new);
    }

    @Test
    void aRegistryVersionLoadsAndAddsOneProbabilityColumnPerLabel() {
        HemorrhageModel model = HemorrhageModel.load(versionFolder(fixture.champion()));
        assertEquals(fixture.champion(), model.version());
        Dataset<Row> scored = model.transform(slices());
        List<String> columns = Arrays.asList(scored.columns());
        assertEquals(slices().columns().length + Labels.COUNT, columns.size());
        assertEquals(List.of(outputs()), columns.subList(columns.size() - Labels.COUNT, columns.size()));
        assertEquals(slices().count(), scored.count());
        for (double[] row : probabilities(scored, outputs())) {
            for (double p : row) assertTrue(p > 0 && p < 1, "probability " + p);
        }
    }

    @Test
    void paramsChangeTheOutputAndSurviveSaveAndLoad(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        HemorrhageModel model = HemorrhageModel.load(versionFolder(fixture.champion()));
        Dataset<Row> input = slices().select(SliceTable.KEY, "tensor", "tensor_channels", "tensor_size")
                .withColumnRenamed("tensor", "pixels");
        HemorrhageModel identity = model.copy(new org.apache.spark.ml.param.ParamMap()).setTensorCol("pixels")
                .setTta("identity").setBatchSize(5).setOutputCols(Labels.NAMES.stream().map(l -> "q_" + l).toArray(String[]::new));
        String[] renamed = identity.getOrDefault(identity.outputCols());
        List<double[]> once = probabilities(identity.transform(input), renamed);
        List<double[]> flipped = probabilities(identity.setTta("identity+hflip").transform(input), renamed);
        assertTrue(differ(once, flipped), "averaging the mirror view changes some probability");

        String saved = dir.resolve("saved").toUri().toString();
        identity.setTta("identity").write().save(saved);
        assertThrows(IOException.class, () -> identity.write().save(saved), "an existing folder is not replaced silently");
        HemorrhageModel back = HemorrhageModel.load(saved);
        assertEquals(identity.uid(), back.uid());
        assertEquals("pixels", back.getOrDefault(back.tensorCol()));
        assertEquals("identity", back.getOrDefault(back.tta()));
        assertEquals(5, (int) (Integer) back.getOrDefault(back.batchSize()));
        assertArrayEquals(renamed, back.getOrDefault(back.outputCols()));
        List<double[]> again = probabilities(back.transform(input), renamed);
        for (int i = 0; i < once.size(); i++) assertArrayEquals(once.get(i), again.get(i), 1e-5);
    }

    @Test
    void aPipelineModelHoldingItSavesAndLoads(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        HemorrhageModel model = HemorrhageModel.load(versionFolder(fixture.champion())).setTta("identity");
        // Ordered before the limit: each transform below re-reads its input, and a bare limit may pick other rows.
        Dataset<Row> input = slices().orderBy(SliceTable.KEY).limit(6);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {model}).fit(input);
        String saved = dir.resolve("pipeline").toUri().toString();
        fitted.write().save(saved);
        PipelineModel back = PipelineModel.load(saved);
        assertEquals(HemorrhageModel.class, back.stages()[0].getClass());
        List<double[]> expected = probabilities(model.transform(input), outputs());
        List<double[]> actual = probabilities(back.transform(input), outputs());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), 1e-5);
    }

    @Test
    void transformSchemaChecksInputsAndRefusesAnExistingOutput() {
        HemorrhageModel model = HemorrhageModel.load(versionFolder(fixture.champion()));
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> model.transform(slices().withColumn("p_any", lit(0.5))));
        assertTrue(exists.getMessage().contains("output column p_any exists already"), exists.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> model.transformSchema(slices().drop("tensor_size").schema()));
        assertTrue(missing.getMessage().contains("input column tensor_size is missing"), missing.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> model.transformSchema(slices().withColumn("tensor", col(SliceTable.KEY)).schema()));
        assertTrue(type.getMessage().contains("input column tensor is string, expected binary"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.setTta("identity+rot90"));
        assertThrows(IllegalArgumentException.class, () -> model.setBatchSize(0));
        IllegalArgumentException notAModel = assertThrows(IllegalArgumentException.class,
                () -> HemorrhageModel.load(fixture.dir().resolve("models").toUri().toString()));
        assertTrue(notAModel.getMessage().contains("no ich model at"), notAModel.getMessage());
    }

    @Test
    void aTwoAndAHalfDModelTakesNeighboursFromTheSeriesGiven() throws IOException {
        // A registry of its own: this model must not become the champion the other scoring tests use.
        Path registry = fixture.dir().resolve("models-2.5d");
        String version = ScoringFixture.train(spark(), fixture.settings("ich.train.neighbours=true", "ich.train.epochs=1",
                "ich.train.seed=3", "ich.registry.root=\"" + registry.toUri() + "\"")).version().id();
        HemorrhageModel model = HemorrhageModel.load(registry.resolve("versions").resolve(version).toUri().toString())
                .setTta("identity");
        assertEquals(3 * slices().select("tensor_channels").first().getInt(0), model.scoringModel().channels());
        Dataset<Row> all = slices();
        Dataset<Row> middle = all.where(col("slice_index").between(2, 4));
        List<double[]> wholeSeries = probabilities(model.transform(all).where(col("slice_index").between(2, 4)), outputs());
        List<double[]> withContext = probabilities(model.transform(middle, all), outputs());
        List<double[]> alone = probabilities(model.transform(middle), outputs());
        assertEquals(wholeSeries.size(), withContext.size());
        for (int i = 0; i < wholeSeries.size(); i++) assertArrayEquals(wholeSeries.get(i), withContext.get(i), 1e-5);
        assertTrue(differ(wholeSeries, alone), "without the series, slices 2 and 4 lose a neighbour");
    }

    private static boolean differ(List<double[]> a, List<double[]> b) {
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) if (Math.abs(a.get(i)[j] - b.get(i)[j]) > 1e-4) return true;
        }
        return false;
    }
}
