package org.ich.train.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.domain.Split;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.sequence.ContextFile;
import org.ich.train.sequence.job.SliceEmbeddingTable;
import org.ich.train.testing.TrainingFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code ich train}'s context stage on Spark local[2], after a tiny slice network, over the fixture's slices table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContextTrainingTest {
    private static final String[] RECIPE = {"ich.train.epochs=1", "ich.train.sizes=[32]", "ich.train.batch-size=8",
            "ich.train.sequence.enabled=true", "ich.train.sequence.epochs=3", "ich.train.sequence.hidden=8",
            "ich.train.sequence.batch-size=2"};

    TrainingFixture fixture;

    @BeforeAll
    void table() throws Exception {
        fixture = TrainingFixture.get();
    }

    @AfterAll
    void stopSpark() {
        TrainingFixture.stopSession();
    }

    /**
     * Stopped after the slice stage's epoch and the context stage's first, the version stays RUNNING with its
     * embeddings stored; the next run reuses them, resumes the context stage after its epoch 1 and completes a version
     * that holds both stages.
     */
    @Test
    void aStoppedContextStageResumesAfterItsLastCheckpoint(@TempDir Path work) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Settings stopping = fixture.settings(work, TrainJobTest.with(RECIPE, "ich.train.stop-after-epochs=2"));
        TrainJob.Result first = TrainJobTest.train(fixture, stopping, log);
        assertFalse(first.finished());
        ModelRegistry registry = ModelRegistry.from(stopping);
        CommonConfig common = CommonConfig.from(stopping);
        assertEquals(Manifest.Status.RUNNING, registry.readManifest(first.version()).status());
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("context epoch 1/3"), text);
        assertTrue(text.contains("train slices out of 2 folds") && text.contains("fold 2/2"), "out-of-fold embeddings");
        assertTrue(text.contains("context stage baseline, the slice stage on the same valid slices"), text);
        assertFalse(text.contains("context epoch 2/3"), "stopped after one context epoch");

        long embedded = fixture.spark().table(common.table(SliceEmbeddingTable.NAME))
                .where(col("model_version").equalTo(lit(first.version().id()))).count();
        long trainAndValid = fixture.spark().table(common.table("slices")).where(col("split").isin(Split.TRAIN, Split.VALID)).count();
        assertEquals(trainAndValid, embedded, "every train and valid slice embedded once");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        TrainJob.Result resumed = TrainJobTest.train(fixture, fixture.settings(work, RECIPE), again);
        String second = again.toString(StandardCharsets.UTF_8);
        assertEquals(first.version(), resumed.version());
        assertTrue(resumed.finished());
        assertTrue(second.contains("context stage resumes after epoch 1 of 3"), second);
        assertFalse(second.contains("embedding "), "the stored embeddings are reused");
        assertFalse(second.contains("context epoch 1/3"), "epoch 1 is not trained again");

        Path folder = Path.of(resumed.version().dir());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) new ObjectMapper()
                .readValue(folder.resolve(ContextTraining.METRICS).toFile(), Map.class).get("epochs");
        assertEquals(List.of(1, 2, 3), epochs.stream().map(e -> ((Number) e.get("epoch")).intValue()).toList());
        assertTrue(Files.isRegularFile(folder.resolve(ContextFile.ZIP)));
        Manifest manifest = registry.readManifest(resumed.version());
        assertEquals(Manifest.Status.COMPLETE, manifest.status());
        assertNotNull(manifest.context());
        assertEquals(3, manifest.context().epochs());
        assertNotNull(manifest.sliceMetrics(), "the slice stage's own figures are kept");
        assertEquals(((Number) epochs.get(2).get("valid_loss")).doubleValue(), manifest.metrics().validWeightedLogLoss(),
                1e-9, "the version's figures are the final (context) outputs'");
        assertEquals(trainAndValid, fixture.spark().table(common.table(SliceEmbeddingTable.NAME))
                .where(col("model_version").equalTo(lit(first.version().id()))).count(), "no embedding twice");
    }
}
