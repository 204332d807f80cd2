package org.ich.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Encoders;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.config.Settings;
import org.ich.dicom.DicomObject;
import org.ich.dicom.PixelMedDicom;
import org.ich.domain.Labels;
import org.ich.etl.EtlConfig;
import org.ich.etl.SliceDecoder;
import org.ich.etl.SliceRecord;
import org.ich.pixel.HuImage;
import org.ich.pixel.MaskTensor;
import org.ich.synth.BloodMask;
import org.ich.train.data.TrainingData;
import org.ich.train.model.Heatmap;
import org.ich.train.model.Logit;
import org.ich.train.model.Occlusion;
import org.ich.train.model.SlicePredictor;
import org.ich.train.model.SliceScorer;
import org.ich.train.model.Tta;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;
import org.ich.train.registry.ValidationFingerprint;
import org.ich.train.testing.TrainingFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code ich train} on Spark local[2] over a real slices table of synthetic studies at 64 px. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainJobTest {

    TrainingFixture fixture;

    @BeforeAll
    void table() throws Exception {
        fixture = TrainingFixture.get();
    }

    static TrainJob.Result train(TrainingFixture fixture, Settings settings, ByteArrayOutputStream log) throws Exception {
        PrintStream out = new PrintStream(new Tee(log), true, StandardCharsets.UTF_8);
        return new TrainJob(fixture.spark(), TrainConfig.from(settings), ModelRegistry.from(settings), out).run();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> epochs(ModelVersion version) throws Exception {
        return (List<Map<String, Object>>) new ObjectMapper().readValue(Path.of(version.metricsJson()).toFile(), Map.class)
                .get("epochs");
    }

    @AfterAll
    void stopSpark() {
        TrainingFixture.stopSession();
    }

    @Test
    void aTinyNetLearnsToSeeBleeds(@TempDir Path work) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Settings settings = fixture.settings(work, "ich.train.epochs=25", "ich.train.batch-size=8",
                "ich.train.max-lr=0.01", "ich.train.averaging-frequency=1");
        long start = System.nanoTime();
        TrainJob.Result result = train(fixture, settings, log);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Map<String, Object>> epochs = epochs(result.version());
        double first = auc(epochs.get(0));
        double last = result.last().auc("any");
        System.out.printf("learnability: validation AUC(any) %.3f after epoch 1, %.3f after %d epochs, %.0f s%n",
                first, last, result.epochsDone(), seconds);
        StringBuilder curve = new StringBuilder("learnability: inference-mode valid loss / AUC(any) per epoch:");
        for (Map<String, Object> epoch : epochs) {
            curve.append(String.format(" %.3f/%.3f", ((Number) epoch.get("valid_loss")).doubleValue(), auc(epoch)));
        }
        System.out.println(curve);
        // No collapse: inference-mode outputs stay near the best the network has shown. Before batch-norm statistics
        // were measured after every epoch, the valid loss jumped by 1.0-1.6 at the one-cycle peak (README).
        double bestLoss = Double.POSITIVE_INFINITY, bestAuc = 0;
        for (Map<String, Object> epoch : epochs) {
            double loss = ((Number) epoch.get("valid_loss")).doubleValue(), auc = auc(epoch);
            if (((Number) epoch.get("epoch")).intValue() > 2) {
                assertTrue(loss <= bestLoss + 0.1, "valid loss " + loss + " after a best of " + bestLoss + ": " + curve);
                assertTrue(auc >= bestAuc - 0.1, "valid AUC(any) " + auc + " after a best of " + bestAuc + ": " + curve);
            }
            bestLoss = Math.min(bestLoss, loss);
            bestAuc = Math.max(bestAuc, auc);
        }
        assertTrue(result.finished());
        // 0.949 measured (16 patients, 25 epochs); the bar before the fixes of issue 11 was 0.75.
        assertTrue(last >= 0.93, "validation AUC for any: " + last);
        assertTrue(last > first + 0.1, "learned, not drawn: " + first + " -> " + last);
        assertTrue(result.last().validLoss() < (Double) epochs.get(0).get("valid_loss") - 0.1, "validation loss fell");

        assertEquals(25, epochs.size());
        for (Map<String, Object> epoch : epochs) {
            assertEquals(epoch.get("train_slices"), epoch.get("fitted_slices"), "every train slice, once: " + epoch);
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("epoch 25/25") && out.contains("img/s") && out.contains("run ETA"), "progress lines");
        assertTrue(Files.size(Path.of(result.version().plots()).resolve(Curves.LOSS)) > 1000);
        assertTrue(Files.size(Path.of(result.version().plots()).resolve(Curves.AUC)) > 1000);
        assertTrue(Files.exists(Path.of(result.version().checkpoints()).resolve("epoch-0025.zip")));

        ModelRegistry registry = ModelRegistry.from(settings);
        Manifest manifest = registry.readManifest(result.version());
        assertEquals(Manifest.Status.COMPLETE, manifest.status());
        assertEquals(result.last().validLoss(), manifest.metrics().validWeightedLogLoss(), 1e-12);
        assertEquals(last, manifest.metrics().aucAny(), 1e-12);
        assertEquals("tiny", manifest.architecture());
        assertEquals(3, manifest.input().channels());
        assertEquals("NCHW", manifest.input().layout());
        assertNotNull(manifest.input().windows());
        assertEquals(ValidationFingerprint.ofSplit(fixture.spark().table("ich.rsna.slices"), TrainingData.VALID),
                manifest.validationFingerprint());
        assertEquals(fixture.spark().sql("SELECT snapshot_id FROM ich.rsna.slices.snapshots ORDER BY committed_at DESC")
                .first().getLong(0), manifest.slicesSnapshotId());
        assertTrue(result.promotion().promoted(), "the first complete version becomes champion");
        assertEquals(result.version(), registry.champion().orElseThrow());
        assertNotNull(registry.readModel(result.version()));

        // Its occlusion maps, made as scoring makes them, point at the blood.
        int[] peaks = heatmapPeaksOnBlood(registry.readModel(result.version()));
        System.out.printf("learnability: heatmap peak on the blood mask for %d of %d positive valid slices found%n",
                peaks[0], peaks[1]);
        assertTrue(peaks[1] >= 5, "positive valid slices the network finds: " + peaks[1]);
        // Measured 9 of 14 for this tiny net (the demo's ResNet-18: 39 of 41 key slices); the earlier maps of the
        // probability with a patch an eighth wide and a stride of 4 px peaked on the blood for 1 of the same 14.
        assertTrue(peaks[0] >= 0.5 * peaks[1], "heatmap peaks on the blood: " + peaks[0] + " of " + peaks[1]);
    }

    /**
     * Over the valid slices labelled positive that the network finds (p(any) at least 0.5), how many occlusion maps
     * peak on a pixel of the slice's blood mask, carried onto the tensor grid by the ETL's own crop and resampling
     * (as {@code HeatmapTruth} measures scoring's maps): {onBlood, found}. The tensors are decoded again from the
     * DICOM files, with the ETL's settings and key, and matched to the table's valid rows by slice key.
     */
    private int[] heatmapPeaksOnBlood(ComputationGraph net) throws Exception {
        Set<String> positives = new HashSet<>(fixture.spark().table("ich.rsna.slices")
                .where("split = 'valid' AND label_any = 1").select("slice_key").as(Encoders.STRING()).collectAsList());
        EtlConfig etl = EtlConfig.from(fixture.etlSettings());
        SliceDecoder decoder = new SliceDecoder(etl.pixels(), etl.privacy().pseudonyms());
        int size = TrainingFixture.SIZE;
        SlicePredictor predictor = new SlicePredictor(SlicePredictor.prepare(net, "tiny", 3, size, Labels.COUNT), size,
                List.of(Tta.IDENTITY));
        SliceScorer scorer = SliceScorer.logitOf(predictor, Labels.ANY);
        Occlusion occlusion = Occlusion.atInputResolution(size);
        int found = 0, onBlood = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(fixture.dicom())) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            DicomObject dicom = PixelMedDicom.read(Files.readAllBytes(file), "fixture file");
            SliceRecord slice = decoder.decode(dicom, "fixture file");
            if (!positives.contains(slice.sliceKey())) continue;
            Heatmap map = occlusion.map(scorer, slice.tensor(), slice.tensorChannels(), size, Labels.ANY);
            if (Logit.sigmoid(map.baseline()) < 0.5) continue;
            HuImage hu = SliceDecoder.hu(dicom);
            BloodMask.Read mask = BloodMask.read(Files.readAllBytes(
                    fixture.masks().resolve(slice.originals().sopInstanceUid() + BloodMask.SUFFIX)));
            boolean[] blood = MaskTensor.map(mask.mask(), hu.rows(), hu.columns(), SliceDecoder.cropBox(hu, etl.pixels()), size);
            found++;
            if (blood[map.peakRow() * size + map.peakCol()]) onBlood++;
        }
        return new int[] {onBlood, found};
    }

    private static double auc(Map<String, Object> epoch) {
        return ((Number) ((Map<?, ?>) ((Map<?, ?>) epoch.get("labels")).get("any")).get("auc")).doubleValue();
    }

    /**
     * A run stopped after its first checkpoint leaves its version RUNNING; the next run continues that version
     * at epoch 2 with the checkpointed weights, optimiser state and schedule position, and so ends exactly where
     * an uninterrupted run with the same seed ends. The recipe's phase change (frozen backbone, then all layers)
     * and size change (32 then 64 px) fall after the stop, so the resumed run must redo neither.
     */
    @Test
    void aStoppedRunResumesFromItsLastCheckpoint(@TempDir Path work) throws Exception {
        // DL4J's default export approach here (minibatches written to files, trained from them); elsewhere direct.
        String[] recipe = {"ich.train.epochs=3", "ich.train.head-epochs=1", "ich.train.sizes=[32, 64]", "ich.train.rdd-approach=export",
                "ich.train.batch-size=8", "ich.train.max-lr=0.01", "ich.train.averaging-frequency=1"};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Settings stopping = fixture.settings(work, with(recipe, "ich.train.stop-after-epochs=1"));
        TrainJob.Result first = train(fixture, stopping, log);
        assertFalse(first.finished());
        assertEquals(1, first.epochsDone());
        ModelRegistry registry = ModelRegistry.from(stopping);
        assertEquals(Manifest.Status.RUNNING, registry.readManifest(first.version()).status());
        assertEquals(first.version(), registry.latestRunning().orElseThrow());

        TrainJob.Result resumed = train(fixture, fixture.settings(work, recipe), log);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("resuming version " + first.version().id()
                + " after epoch 1"), "resumed, not restarted");
        assertEquals(first.version(), resumed.version());
        assertTrue(resumed.finished());
        List<Map<String, Object>> epochs = epochs(resumed.version());
        assertEquals(List.of(1, 2, 3), epochs.stream().map(e -> ((Number) e.get("epoch")).intValue()).toList());
        assertEquals(List.of("HEAD", "ALL", "ALL"), epochs.stream().map(e -> e.get("phase")).toList());
        assertEquals(List.of(32, 32, 64), epochs.stream().map(e -> ((Number) e.get("size")).intValue()).toList());

        TrainJob.Result straight = train(fixture, fixture.settings(work.resolve("straight"), recipe),
                new ByteArrayOutputStream());
        assertEquals(straight.last().iteration(), resumed.last().iteration(), "same schedule position");
        assertEquals(straight.last().learningRate(), resumed.last().learningRate(), 1e-15);
        assertEquals(straight.last().validLoss(), resumed.last().validLoss(), 1e-5, "same weights at the end");
    }

    /** Gradient sharing on local[2], its UDP transport on loopback. */
    @Test
    void gradientSharingTrainsToo(@TempDir Path work) throws Exception {
        Settings settings = fixture.settings(work, "ich.train.master=sharing",
                "ich.train.sharing.controller=\"127.0.0.1\"", "ich.train.sharing.network-mask=\"127.0.0.0/8\"",
                "ich.train.epochs=3", "ich.train.batch-size=8", "ich.train.max-lr=0.01",
                // The recipe this test was written for: gradient sharing was not measured with issue 11's defaults.
                "ich.train.weight-decay=0.0001", "ich.train.augment.rotation=10", "ich.train.augment.zoom=0.1",
                "ich.train.augment.shift=0.05");
        TrainJob.Result result = train(fixture, settings, new ByteArrayOutputStream());
        assertTrue(result.finished());
        List<Map<String, Object>> epochs = epochs(result.version());
        assertEquals(3, epochs.size());
        assertTrue(result.last().validLoss() < (Double) epochs.get(0).get("valid_loss") - 0.05, "validation loss fell");
        assertEquals(Manifest.Status.COMPLETE, ModelRegistry.from(settings).readManifest(result.version()).status());
    }

    /** Killed after the last checkpoint but before registering: the next run only scores, registers, promotes. */
    @Test
    void aRunWithEveryEpochCheckpointedOnlyRegistersTheModel(@TempDir Path work) throws Exception {
        String[] recipe = {"ich.train.batch-size=8", "ich.train.sizes=[32]"};
        TrainJob.Result stopped = train(fixture, fixture.settings(work, with(recipe, "ich.train.epochs=2",
                "ich.train.stop-after-epochs=1")), new ByteArrayOutputStream());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainJob.Result done = train(fixture, fixture.settings(work, with(recipe, "ich.train.epochs=1")), log);
        assertEquals(stopped.version(), done.version());
        assertTrue(done.finished());
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("epoch 1/1 train"), "no epoch trained again");
        assertEquals(stopped.last().validLoss(), done.last().validLoss(), 1e-9, "the checkpointed model, scored");
        assertEquals(Manifest.Status.COMPLETE, ModelRegistry.from(fixture.settings(work)).readManifest(done.version())
                .status());
        assertEquals(1, epochs(done.version()).size());
    }

    static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Copies to stdout too, so a failing run shows its progress in the test report. */
    static final class Tee extends java.io.OutputStream {
        private final ByteArrayOutputStream copy;

        Tee(ByteArrayOutputStream copy) {
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            copy.write(b);
            System.out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            System.out.write(b, off, len);
        }
    }
}
