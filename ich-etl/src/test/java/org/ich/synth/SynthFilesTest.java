package org.ich.synth;

import org.ich.dicom.DicomObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads every file of a small cohort back through PixelMed and checks it against the plan and the phantom. */
class SynthFilesTest {
    @TempDir
    static Path dir;
    static SynthFixture.Written cohort;

    @BeforeAll
    static void write() throws Exception {
        // Three patients with every share at 1/3: one bad-intercept, one signed, one unsigned series; odd matrices too.
        cohort = SynthFixture.write(SynthFixture.config(dir, "ich.synth.patients=3", "ich.synth.bad-intercept-fraction=0.3",
                "ich.synth.signed-fraction=0.3", "ich.synth.odd-matrix-fraction=1", "ich.synth.implicit-vr-fraction=0.3",
                "ich.synth.multi-window-fraction=0.3"));
    }

    @Test
    void everyFileIsACtImageWithTheUsualHeader() throws Exception {
        int files = 0;
        for (PatientPlan p : cohort.cohort().patients()) {
            SeriesPlan s = p.series();
            for (int k = 0; k < s.slices(); k++) {
                DicomObject d = cohort.read(p, k);
                files++;
                assertEquals(s.syntax().uid(), d.transferSyntaxUid());
                assertEquals(CtImageFactory.CT_IMAGE_STORAGE, d.string("SOPClassUID"));
                assertEquals("CT", d.string("Modality"));
                assertEquals("MONOCHROME2", d.string("PhotometricInterpretation"));
                assertEquals(1, d.integer("SamplesPerPixel"));
                assertEquals(s.rows(), d.integer("Rows"));
                assertEquals(s.columns(), d.integer("Columns"));
                assertEquals(s.rows() * s.columns(), d.pixels().length);
                assertEquals(16, d.integer("BitsAllocated"));
                assertEquals(s.encoding().bitsStored(), d.integer("BitsStored"));
                assertEquals(s.encoding().bitsStored() - 1, d.integer("HighBit"));
                assertEquals(s.encoding().pixelRepresentation(), d.integer("PixelRepresentation"));
                assertEquals(2, d.numbers("PixelSpacing").length);
                assertEquals(3, d.numbers("ImagePositionPatient").length);
                assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, d.numbers("ImageOrientationPatient"));
                assertEquals(s.patientZ(k), d.numbers("ImagePositionPatient")[2], 1e-3);
                assertEquals(k + 1, d.integer("InstanceNumber"));
                assertEquals(s.sopUids().get(k), d.string("SOPInstanceUID"));
                assertEquals(s.seriesUid(), d.string("SeriesInstanceUID"));
                assertEquals(s.studyUid(), d.string("StudyInstanceUID"));
                assertTrue(d.string("SOPInstanceUID").matches("2\\.25\\.[1-9][0-9]*") && d.string("SOPInstanceUID").length() <= 64);
                assertEquals(s.windows().size(), d.numbers("WindowCenter").length);
                assertEquals(s.windows().size(), d.numbers("WindowWidth").length);
                for (String kw : List.of("Manufacturer", "ManufacturerModelName", "KVP", "XRayTubeCurrent", "ConvolutionKernel",
                        "SliceThickness", "RescaleSlope", "StudyDate", "InstitutionName", "ReferringPhysicianName")) {
                    assertNotNull(d.string(kw), kw);
                }
                assertEquals(p.phi().patientName(), d.string("PatientName"));
                assertEquals(p.phi().patientId(), d.string("PatientID"));
                assertEquals(p.phi().birthDate(), d.string("PatientBirthDate"));
                assertEquals(p.phi().address(), d.string("PatientAddress"));
                assertEquals(p.phi().accessionNumber(), d.string("AccessionNumber"));
            }
        }
        assertEquals(cohort.files().size(), files, "no stray files (e.g. Hadoop .crc) besides the slices");
        assertEquals(cohort.summary().files(), files);
    }

    @Test
    void storedPixelsDecodeToThePhantomsHounsfieldUnits() throws Exception {
        Set<CtEncoding> seen = new HashSet<>();
        for (PatientPlan p : cohort.cohort().patients()) {
            Phantom phantom = new Phantom(p);
            for (int k : new int[] {0, p.series().slices() / 2}) {
                DicomObject d = cohort.read(p, k);
                assertArrayEquals(phantom.render(k).hu(), SynthFixture.decodeHu(d), p.series().encoding() + " slice " + k);
            }
            seen.add(p.series().encoding());
        }
        assertTrue(seen.contains(CtEncoding.BAD_INTERCEPT) && seen.contains(CtEncoding.SIGNED_16), "encodings " + seen);
    }

    @Test
    void badInterceptSeriesLooksLikeTheRsnaGroup() throws Exception {
        PatientPlan p = cohort.cohort().patients().stream().filter(x -> x.series().encoding() == CtEncoding.BAD_INTERCEPT)
                .findFirst().orElseThrow();
        int middle = p.series().slices() / 2;
        DicomObject d = cohort.read(p, middle);
        assertEquals(12, d.integer("BitsStored"));
        assertEquals(0, d.integer("PixelRepresentation"));
        assertEquals("0", d.string("RescaleIntercept"));
        short[] hu = new Phantom(p).render(middle).hu();
        short[] stored = d.pixels();
        boolean airWrapped = false;
        for (int i = 0; i < hu.length; i++) {
            int v = stored[i] & 0xFFFF;
            assertTrue(v < 4096, "fits in 12 bits");
            assertEquals(hu[i], Math.floorMod(v + 1000, 4096) - 1000);
            airWrapped |= hu[i] == -1000 && v == 3096;
        }
        assertTrue(airWrapped, "air is stored as 3096, so trusting the header would make it bone");
    }

    @Test
    void firstAndLastSlicesAreNearlyEmptyAndTheMiddleIsNot() throws Exception {
        for (PatientPlan p : cohort.cohort().patients()) {
            int n = p.series().slices();
            assertTrue(RenderedSlice.softTissueFraction(SynthFixture.decodeHu(cohort.read(p, 0))) < 0.02, "bottom slice");
            assertTrue(RenderedSlice.softTissueFraction(SynthFixture.decodeHu(cohort.read(p, n - 1))) < 0.02, "top slice");
            assertTrue(RenderedSlice.softTissueFraction(SynthFixture.decodeHu(cohort.read(p, n / 2))) > 0.15, "middle slice");
        }
    }

    @Test
    void hounsfieldUnitsStayInTheEncodableRange() {
        for (PatientPlan p : cohort.cohort().patients()) {
            Phantom phantom = new Phantom(p);
            short min = Short.MAX_VALUE, max = Short.MIN_VALUE;
            for (int k = 0; k < p.series().slices(); k++) {
                for (short v : phantom.render(k).hu()) {
                    min = (short) Math.min(min, v);
                    max = (short) Math.max(max, v);
                }
            }
            assertEquals(CtEncoding.MIN_HU, min, "air");
            assertTrue(max > 700 && max <= CtEncoding.MAX_HU, "bone up to " + max);
        }
    }

    @Test
    void quirkySeriesArePresentAndParse() throws Exception {
        List<PatientPlan> patients = cohort.cohort().patients();
        PatientPlan implicit = patients.stream().filter(p -> p.series().syntax() == TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).findFirst().orElseThrow();
        assertEquals("1.2.840.10008.1.2", cohort.read(implicit, 1).transferSyntaxUid());
        PatientPlan multi = patients.stream().filter(p -> p.series().multiWindow()).findFirst().orElseThrow();
        DicomObject d = cohort.read(multi, 1);
        assertArrayEquals(new double[] {40, 80}, d.numbers("WindowCenter"));
        assertArrayEquals(new double[] {80, 200}, d.numbers("WindowWidth"));
        assertTrue(patients.stream().anyMatch(p -> p.series().rows() != 128), "an odd matrix");
        assertTrue(patients.stream().anyMatch(p -> p.series().rows() != p.series().columns()), "rows != columns");
    }

    @Test
    void namesAndFoldersVaryAndHoldNoPhi() throws Exception {
        Set<String> extensions = new HashSet<>();
        Set<String> phi = cohort.cohort().identifyingStrings();
        for (Path f : cohort.files()) {
            String name = f.getFileName().toString();
            extensions.add(name.endsWith(".dcm") ? "dcm" : name.endsWith(".DCM") ? "DCM" : name.contains(".") && !name.startsWith("CT.") ? "other" : "none");
            String rel = cohort.out().relativize(f).toString();
            assertEquals(3, cohort.out().relativize(f).getNameCount(), "patient/study/file: " + rel);
            for (String s : phi) assertFalse(rel.contains(s), rel + " contains " + s);
        }
        assertTrue(extensions.containsAll(Set.of("dcm", "DCM", "none")), "extensions " + extensions);
        assertFalse(extensions.contains("other"));
    }

    @Test
    void phiIsWrittenToHeadersButNeverToTheLog() throws Exception {
        Set<String> phi = cohort.cohort().identifyingStrings();
        PatientPlan p = cohort.cohort().patients().get(0);
        assertTrue(phi.containsAll(p.phi().identifyingStrings()));
        assertTrue(phi.size() >= 3 * 6, "names, ids, dates, addresses, accession numbers of each patient");
        String header = new String(Files.readAllBytes(cohort.file(p, 0)), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String s : p.phi().identifyingStrings()) assertTrue(header.contains(s), "written: " + s);
        String log = String.join("\n", cohort.log());
        assertTrue(log.contains("3/3 patients"), log);
        for (String s : phi) assertFalse(log.contains(s), "log leaks " + s);
    }
}
