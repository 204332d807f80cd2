package org.ich.synth;

import org.ich.config.ConfigError;
import org.ich.dicom.DicomObject;
import org.ich.etl.PixelParams;
import org.ich.etl.Pseudonyms;
import org.ich.etl.SliceDecoder;
import org.ich.etl.SliceRecord;
import org.ich.pixel.HuImage;
import org.ich.pixel.MaskTensor;
import org.ich.pixel.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ich.synth.masks}: one blood-mask PNG per positive slice, beside (not inside) an unchanged DICOM folder. */
class SynthMasksTest {
    private static final String[] COHORT = {"ich.synth.patients=2", "ich.synth.bleed-fraction=1", "ich.synth.seed=7",
            "ich.synth.odd-matrix-fraction=0.5"};

    @TempDir
    static Path on, off;
    static SynthFixture.Written withMasks, without;
    static Path masks;

    @BeforeAll
    static void writeTwice() throws Exception {
        masks = on.resolve("masks");
        String[] withKey = java.util.Arrays.copyOf(COHORT, COHORT.length + 1);
        withKey[COHORT.length] = "ich.synth.masks=\"" + masks.toUri() + "\"";
        withMasks = SynthFixture.write(SynthFixture.config(on, withKey));
        without = SynthFixture.write(SynthFixture.config(off, COHORT));
    }

    @Test
    void maskFilesAreWrittenForPositiveSlicesOnly() throws Exception {
        Set<String> expected = new HashSet<>();
        int slices = 0;
        for (PatientPlan p : withMasks.cohort().patients()) {
            Phantom phantom = new Phantom(p);
            for (int k = 0; k < p.series().slices(); k++, slices++) {
                if (phantom.render(k).any()) expected.add(p.series().sopUids().get(k) + ".png");
            }
        }
        Set<String> written = new HashSet<>();
        try (Stream<Path> files = Files.list(masks)) {
            files.forEach(f -> written.add(f.getFileName().toString()));
        }
        assertFalse(expected.isEmpty(), "the cohort has positive slices");
        assertTrue(expected.size() < slices, "and negative ones");
        assertEquals(expected, written);
        // The same slices the label file calls positive.
        Set<String> labelledAny = new HashSet<>();
        for (String line : withMasks.labelLines()) {
            if (line.endsWith("_any,1")) labelledAny.add(line.substring(3, line.length() - "_any,1".length()) + ".png");
        }
        assertEquals(expected, labelledAny);
        assertTrue(withMasks.log().stream().anyMatch(l -> l.contains(expected.size() + " blood masks")), withMasks.log().toString());
    }

    @Test
    void dicomFilesAreByteIdenticalWithMasksOnOrOff() throws Exception {
        Map<Path, String> a = hashes(withMasks), b = hashes(without);
        assertEquals(without.summary().files(), a.size());
        assertEquals(b, a);
        assertArrayEquals(Files.readAllBytes(without.labels()), Files.readAllBytes(withMasks.labels()));
        try (Stream<Path> files = Files.walk(withMasks.out())) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".png")), "no mask inside the DICOM folder");
        }
    }

    @Test
    void aPositiveSlicesMaskIsTheRenderedBlood() throws Exception {
        int checked = 0;
        for (PatientPlan p : withMasks.cohort().patients()) {
            Phantom phantom = new Phantom(p);
            for (int k = 0; k < p.series().slices(); k++) {
                RenderedSlice rendered = phantom.render(k);
                if (!rendered.any()) continue;
                BloodMask.Read mask = BloodMask.read(Files.readAllBytes(masks.resolve(p.series().sopUids().get(k) + ".png")));
                assertEquals(p.series().rows(), mask.rows());
                assertEquals(p.series().columns(), mask.columns());
                assertArrayEquals(BloodMask.of(rendered), mask.mask());

                // Each masked pixel of the DICOM holds one of the patient's bleeds' HU, up to noise; none outside it
                // is a bleed pixel of the rendering.
                short[] hu = SynthFixture.decodeHu(withMasks.read(p, k));
                double tolerance = 6 * p.anatomy().noiseSd + 1;
                int blood = 0;
                for (int i = 0; i < hu.length; i++) {
                    if (!mask.mask()[i]) {
                        assertEquals(0, rendered.bleedMap()[i]);
                        continue;
                    }
                    blood++;
                    boolean near = false;
                    for (Bleed b : p.bleeds()) near |= Math.abs(hu[i] - b.hu()) <= tolerance;
                    assertTrue(near, "pixel " + i + " at " + hu[i] + " HU");
                }
                assertTrue(blood > rendered.minBleedPixels(), "a positive slice's mask is more than a speck");
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    /** Through the ETL's own decoder: the mapped mask covers the bright (blood) pixels of the brain-window tensor. */
    @Test
    void theMaskMappedToTensorSpaceSitsOnBloodInTheTensor() throws Exception {
        int size = 64;
        PixelParams params = new PixelParams(List.of(new Window("brain", 40, 80)), size, 0.02, -300f, 4);
        SliceDecoder decoder = new SliceDecoder(params, new Pseudonyms("synth-masks-test-key".getBytes(StandardCharsets.UTF_8)));
        int slices = 0;
        double maskedMean = 0, brainMean = 0;
        long maskedN = 0, brainN = 0;
        for (PatientPlan p : withMasks.cohort().patients()) {
            Phantom phantom = new Phantom(p);
            for (int k = 0; k < p.series().slices(); k++) {
                if (!phantom.render(k).any()) continue;
                DicomObject d = withMasks.read(p, k);
                SliceRecord record = decoder.decode(d, "slice");
                HuImage hu = SliceDecoder.hu(d);
                BloodMask.Read mask = BloodMask.read(Files.readAllBytes(masks.resolve(p.series().sopUids().get(k) + ".png")));
                boolean[] mapped = MaskTensor.map(mask.mask(), hu.rows(), hu.columns(), SliceDecoder.cropBox(hu, params), size);
                assertArrayEquals(mapped, MaskTensor.map(mask.mask(), hu, params.headThresholdHu(), params.cropMargin(), size));
                byte[] tensor = record.tensor();
                for (int i = 0; i < mapped.length; i++) {
                    int v = tensor[i] & 0xFF;
                    if (mapped[i]) {
                        maskedMean += v;
                        maskedN++;
                        // Blood is 50-90 HU; a masked tensor pixel is at least half blood, the rest soft tissue or bone.
                        assertTrue(v >= 100, "masked tensor pixel " + i + " reads " + v);
                    } else if (v > 40 && v < 140) {
                        brainMean += v;
                        brainN++;
                    }
                }
                slices++;
            }
        }
        assertTrue(slices > 0 && maskedN > 0);
        maskedMean /= maskedN;
        brainMean /= brainN;
        System.out.printf("synth masks: %d positive slices, %d masked tensor pixels, brain-window mean %.1f masked vs %.1f other brain%n",
                slices, maskedN, maskedMean, brainMean);
        assertTrue(maskedMean > brainMean + 40, "masked mean " + maskedMean + " vs brain " + brainMean);
    }

    @Test
    void masksInsideTheDicomFolderAreRefused(@TempDir Path dir) {
        for (String inside : List.of(dir.resolve("dicom").toUri().toString(), dir.resolve("dicom/masks").toUri().toString())) {
            ConfigError e = assertThrows(ConfigError.class, () -> SynthFixture.config(dir, "ich.synth.masks=\"" + inside + "\""));
            assertEquals("ich.synth.masks", e.key());
        }
        assertNull(SynthFixture.config(dir).masks(), "off by default");
    }

    private static Map<Path, String> hashes(SynthFixture.Written w) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        for (Path f : w.files()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            out.put(w.out().relativize(f), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f))));
        }
        return out;
    }
}
