package org.ich.dicom;

import org.ich.etl.PixelParams;
import org.ich.etl.Pseudonyms;
import org.ich.etl.SliceDecoder;
import org.ich.etl.SliceRecord;
import org.ich.pixel.Window;
import org.ich.testing.CtFixtures;
import org.ich.testing.DicomBytes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class DicomReadTest {
    private final SliceDecoder decoder = new SliceDecoder(
            new PixelParams(List.of(new Window("brain", 40, 80)), 8, 0.02, -300f, 0),
            new Pseudonyms("0123456789abcdef0123".getBytes()));

    private QuarantineReason reasonFor(byte[] bytes) {
        DicomReadException e = assertThrows(DicomReadException.class, () -> decoder.decode(bytes, "file:/x.dcm"));
        assertTrue(e.getMessage().startsWith("file:/x.dcm"), "message names the file: " + e.getMessage());
        // Messages reach an analyst table: no instance, study or series UID (all 2.25.x here), no patient.
        assertFalse(e.getMessage().contains("2.25.") || e.getMessage().contains("FIXTURE-PID"), e.getMessage());
        return e.reason();
    }

    @Test
    void roundTripThroughThePixelMedSeam() throws Exception {
        byte[] bytes = CtFixtures.ct("2.25.77");
        DicomObject d = PixelMedDicom.read(bytes, "x");
        assertEquals("2.25.77", d.string("SOPInstanceUID"));
        assertEquals(256, d.pixels().length);
        assertEquals(1064, d.pixels()[0]);
        SliceRecord s = decoder.decode(bytes, "x");
        assertEquals(1.0, s.brainFraction());
        assertFalse(s.isEmpty());
        assertEquals(64, s.tensor().length);
        assertFalse(s.headerJson().contains("Fixture"), s.headerJson());
        assertFalse(s.headerJson().contains("FIXTURE-PID"), s.headerJson());
    }

    @Test
    void everyKindOfBadFileGetsItsReason() {
        byte[] good = CtFixtures.ct("2.25.78");
        assertEquals(QuarantineReason.EMPTY_FILE, reasonFor(new byte[0]));
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        assertEquals(QuarantineReason.NOT_DICOM, reasonFor(noise));
        assertEquals(QuarantineReason.NOT_DICOM, reasonFor("patient list\nDoe,Jane\n".getBytes()));
        assertEquals(QuarantineReason.TRUNCATED, reasonFor(Arrays.copyOf(good, good.length - 200)));
        assertEquals(QuarantineReason.NO_PIXEL_DATA, reasonFor(CtFixtures.withoutPixels("2.25.79")));
        assertEquals(QuarantineReason.NOT_CT, reasonFor(CtFixtures.mr("2.25.80")));
    }

    @Test
    void compressedDataNoCodecDecodesIsQuarantinedAsUnsupported() {
        byte[] junk = new byte[300];
        new Random(2).nextBytes(junk);
        assertEquals(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX,
                reasonFor(DicomBytes.encapsulatedCt("1.2.840.10008.1.2.4.90", "2.25.81", junk))); // JPEG 2000 codec present, data corrupt
        assertEquals(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX,
                reasonFor(DicomBytes.encapsulatedCt("1.2.840.10008.1.2.4.100", "2.25.82", junk))); // MPEG-2 video
    }

    @Test
    void aSliceWithoutAPatientStudyOrSeriesIsQuarantinedNotFiledUnderUnknown() {
        for (String identifier : List.of("PatientID", "StudyInstanceUID", "SeriesInstanceUID")) {
            List<DicomElement> header = new java.util.ArrayList<>(CtFixtures.ctHeader("2.25.78", "CT", 16, 16));
            header.removeIf(e -> e.keyword().equals(identifier));
            byte[] bytes = CtFixtures.bytes(new DicomObject(CtFixtures.EXPLICIT_LE, header, new short[256]));
            assertEquals(QuarantineReason.MISSING_IDENTIFIER, reasonFor(bytes), identifier);
        }
    }

    @Test
    void aHeaderOf65535SquaredIsRejectedBeforeDecodingNotAnOverflow() {
        short[] few = new short[64 * 64];
        DicomObject d = new DicomObject(CtFixtures.EXPLICIT_LE, CtFixtures.ctHeader("2.25.79", "CT", 65535, 65535), few);
        DicomReadException e = assertThrows(DicomReadException.class, () -> decoder.decode(d, "file:/x.dcm"));
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("65535x65535"), e.getMessage());
        // From bytes the header alone decides: the 4096 pixels that are there are never read.
        DicomReadException fromBytes = assertThrows(DicomReadException.class, () -> decoder.decode(CtFixtures.bytes(d), "file:/x.dcm"));
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, fromBytes.reason(), fromBytes.getMessage());
        assertTrue(fromBytes.getMessage().contains("65535x65535"), fromBytes.getMessage());
    }
}
