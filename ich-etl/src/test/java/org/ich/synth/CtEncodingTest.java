package org.ich.synth;

import org.ich.dicom.DicomObject;
import org.ich.dicom.PixelMedDicom;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CtEncodingTest {

    @Test
    void everyEncodingRoundTripsTheWholeHuRange() {
        for (CtEncoding e : CtEncoding.values()) {
            for (int hu = CtEncoding.MIN_HU; hu <= CtEncoding.MAX_HU; hu++) {
                short stored = e.store(hu);
                assertEquals(hu, e.hu(stored), e + " at " + hu);
                int unsigned = stored & 0xFFFF;
                if (e.pixelRepresentation() == 0) assertEquals(0, unsigned >> e.bitsStored(), e + " overflows its bits at " + hu);
            }
            assertThrows(IllegalArgumentException.class, () -> e.store(CtEncoding.MAX_HU + 1));
            assertThrows(IllegalArgumentException.class, () -> e.store(CtEncoding.MIN_HU - 1));
        }
        assertEquals(3096, CtEncoding.BAD_INTERCEPT.store(-1000));
        assertEquals(30, CtEncoding.BAD_INTERCEPT.store(30));
        assertEquals(0, CtEncoding.BAD_INTERCEPT.rescaleIntercept());
    }

    @Test
    void twinsHoldTheSameHuInDifferentEncodings() throws Exception {
        SynthConfig config = SynthFixture.config(java.nio.file.Path.of("/tmp/unused"), "ich.synth.patients=1");
        PatientPlan p = Cohort.plan(config).patients().get(0);
        int middle = p.series().slices() / 2;
        short[] hu = new Phantom(p).render(middle).hu();
        int rows = p.series().rows(), cols = p.series().columns();

        DicomObject quirk = CtImageFactory.twin(hu, rows, cols, CtEncoding.BAD_INTERCEPT, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, "2.25.1");
        DicomObject clean = CtImageFactory.twin(hu, rows, cols, CtEncoding.UNSIGNED_16, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, "2.25.2");
        DicomObject quirkRead = roundTrip(quirk), cleanRead = roundTrip(clean);
        assertEquals("0", quirkRead.string("RescaleIntercept"));
        assertEquals("-1024", cleanRead.string("RescaleIntercept"));
        assertEquals("1.2.840.10008.1.2", quirkRead.transferSyntaxUid());
        assertArrayEquals(hu, SynthFixture.decodeHu(quirkRead));
        assertArrayEquals(hu, SynthFixture.decodeHu(cleanRead));

        // The same twin from a cohort series, via SeriesPlan.with, keeps the patient's header.
        PatientPlan signed = p.withSeries(p.series().with(CtEncoding.SIGNED_16, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, "9"));
        DicomObject s = roundTrip(CtImageFactory.instance(signed, middle, new Phantom(signed).render(middle)));
        assertEquals(1, s.integer("PixelRepresentation"));
        assertEquals(p.series().sopUids().get(middle) + ".9", s.string("SOPInstanceUID"));
        assertArrayEquals(hu, SynthFixture.decodeHu(s));
    }

    private static DicomObject roundTrip(DicomObject d) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PixelMedDicom.write(d, out);
        return PixelMedDicom.read(out.toByteArray(), "twin");
    }
}
