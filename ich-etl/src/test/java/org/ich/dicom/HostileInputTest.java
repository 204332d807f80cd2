package org.ich.dicom;

import org.ich.etl.FileLimits;
import org.ich.etl.PixelParams;
import org.ich.etl.Pseudonyms;
import org.ich.etl.SliceDecoder;
import org.ich.etl.SliceRecord;
import org.ich.pixel.Window;
import org.ich.testing.CtFixtures;
import org.ich.testing.DicomBytes;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Files built to hurt (bombs, lying headers, wrong objects in broken encodings, cut and short data) are each
 * quarantined for what they are, from the header when the header already says so, and cheaply.
 */
class HostileInputTest {
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final String JPEG_2000 = "1.2.840.10008.1.2.4.90";
    private static final String NAME = "file k3y";
    private static final FileLimits SMALL = new FileLimits(1 << 20, 1 << 20);
    private final SliceDecoder decoder = new SliceDecoder(
            new PixelParams(List.of(new Window("brain", 40, 80)), 8, 0.02, -300f, 0),
            new Pseudonyms("0123456789abcdef0123".getBytes()), SMALL);

    private DicomReadException rejected(byte[] bytes) {
        DicomReadException e = assertThrows(DicomReadException.class, () -> decoder.decode(bytes, NAME));
        assertTrue(e.getMessage().startsWith(NAME + ": "), "message names the file by its key: " + e.getMessage());
        // Messages reach an analyst table: no instance, study or series UID (all 2.25.x here), no patient.
        assertFalse(e.getMessage().contains("2.25.") || e.getMessage().contains("FIXTURE-PID")
                || e.getMessage().contains("Fixture"), e.getMessage());
        return e;
    }

    private QuarantineReason reasonFor(byte[] bytes) {
        return rejected(bytes).reason();
    }

    private static byte[] ctWith(String sop, DicomElement... replacements) {
        List<DicomElement> header = new ArrayList<>(CtFixtures.ctHeader(sop, "CT", 16, 16));
        for (DicomElement r : replacements) {
            header.removeIf(e -> e.keyword().equals(r.keyword()));
            header.add(r);
        }
        short[] px = new short[256];
        Arrays.fill(px, (short) 1064);
        return CtFixtures.bytes(new DicomObject(CtFixtures.EXPLICIT_LE, header, px));
    }

    private static short[] phantom(int side) {
        short[] px = new short[side * side];
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                double d = Math.hypot(r - side / 2.0, c - side / 2.0);
                px[r * side + c] = (short) (d > side * 0.45 ? 24 : d > side * 0.4 ? 2200 : 1024 + 30 + (r * 7 + c * 3) % 20);
            }
        }
        return px;
    }

    @Test
    void aNonCtObjectInAnUndecodableCodecIsNotCtBecauseTheHeaderSaysSo() throws Exception {
        byte[] junk = new byte[300];
        new Random(5).nextBytes(junk);
        byte[] mr = DicomBytes.encapsulated(JPEG_2000, "2.25.401", "MR", junk, 64, 64);
        // Decoding its pixels would fail in the codec ...
        DicomReadException codec = assertThrows(DicomReadException.class, () -> PixelMedDicom.read(mr, NAME));
        assertEquals(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX, codec.reason());
        // ... but no pixel is decoded for an object the header already rules out.
        DicomReadException e = rejected(mr);
        assertEquals(QuarantineReason.NOT_CT, e.reason(), e.getMessage());
        assertEquals(NAME + ": modality MR is not CT", e.getMessage());
    }

    @Test
    void aCodecFailureOnACtSliceNamesTheTransferSyntax() {
        byte[] junk = new byte[300];
        new Random(6).nextBytes(junk);
        DicomReadException e = rejected(DicomBytes.encapsulatedCt(JPEG_2000, "2.25.402", junk));
        assertEquals(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(JPEG_2000), e.getMessage());
    }

    @Test
    void aDeflateBombIsTooLargeBeforeAnythingIsInflatedIntoTheHeap() {
        byte[] dataset = DicomBytes.nativeCtDataset("2.25.403", 16, 16, phantom(16), 8 << 20);
        byte[] bomb = DicomBytes.part10(DEFLATED, "2.25.403", DicomBytes.deflate(dataset));
        assertTrue(bomb.length < 20_000, "the bomb is " + bomb.length + " bytes");

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        rejected(bomb); // classes loaded, so the measured call allocates only what the check itself needs
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        DicomReadException e = rejected(bomb);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(QuarantineReason.TOO_LARGE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("more than 1048576 bytes (ich.etl.max-inflated-bytes)"), e.getMessage());
        assertTrue(allocated < 512 << 10, "the check allocated " + allocated + " bytes for an 8 MB dataset");
        assertTrue(millis < 2000, "the check took " + millis + " ms");
    }

    @Test
    void aDeflatedCtWithinTheCapDecodesLikeItsExplicitTwin() throws Exception {
        // Hand-deflated, with 512 KB of private zeros: inflates to less than the 1 MB cap.
        byte[] dataset = DicomBytes.nativeCtDataset("2.25.404", 64, 64, phantom(64), 512 << 10);
        SliceRecord explicit = decoder.decode(DicomBytes.part10(CtFixtures.EXPLICIT_LE, "2.25.404", dataset), NAME);
        SliceRecord deflated = decoder.decode(DicomBytes.part10(DEFLATED, "2.25.404", DicomBytes.deflate(dataset)), NAME);
        assertEquals(DEFLATED, deflated.transferSyntax());
        assertArrayEquals(explicit.tensor(), deflated.tensor());
        assertEquals(explicit.brainFraction(), deflated.brainFraction());

        // Deflated by PixelMed's own writer.
        List<DicomElement> header = CtFixtures.ctHeader("2.25.405", "CT", 64, 64);
        byte[] twin = CtFixtures.bytes(new DicomObject(CtFixtures.EXPLICIT_LE, header, phantom(64)));
        byte[] written = CtFixtures.bytes(new DicomObject(DEFLATED, header, phantom(64)));
        assertArrayEquals(PixelMedDicom.read(twin, "t").pixels(), PixelMedDicom.read(written, "w").pixels());
        assertArrayEquals(decoder.decode(twin, NAME).tensor(), decoder.decode(written, NAME).tensor());
    }

    @Test
    void aDeflatedSyntaxOverBytesThatAreNotDeflateIsCorrupt() {
        byte[] notDeflate = new byte[400];
        Arrays.fill(notDeflate, (byte) 0xFF);
        assertEquals(QuarantineReason.CORRUPT, reasonFor(DicomBytes.part10(DEFLATED, "2.25.406", notDeflate)));
    }

    @Test
    void aFileOverTheFileCapIsTooLarge() {
        byte[] ct = CtFixtures.ct("2.25.407");
        SliceDecoder tight = new SliceDecoder(new PixelParams(List.of(new Window("brain", 40, 80)), 8, 0.02, -300f, 0),
                new Pseudonyms("0123456789abcdef0123".getBytes()), new FileLimits(ct.length - 1, 1 << 20));
        DicomReadException e = assertThrows(DicomReadException.class, () -> tight.decode(ct, NAME));
        assertEquals(QuarantineReason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("ich.etl.max-file-bytes"), e.getMessage());
    }

    @Test
    void imagesThatAreNotMonochromeAxialSlicesAreUnsupported() {
        DicomReadException scout = rejected(ctWith("2.25.408", DicomElement.of("ImageType", "CS", "ORIGINAL", "PRIMARY", "LOCALIZER")));
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, scout.reason(), scout.getMessage());
        assertTrue(scout.getMessage().contains("LOCALIZER"), scout.getMessage());
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, reasonFor(ctWith("2.25.409",
                DicomElement.of("SamplesPerPixel", "US", 3), DicomElement.of("PhotometricInterpretation", "CS", "RGB"))));
        DicomReadException palette = rejected(ctWith("2.25.410", DicomElement.of("PhotometricInterpretation", "CS", "PALETTE COLOR")));
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, palette.reason());
        assertTrue(palette.getMessage().contains("PALETTE COLOR"), palette.getMessage());
        DicomReadException bits = rejected(ctWith("2.25.411", DicomElement.of("BitsStored", "US", 20)));
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, bits.reason());
        assertTrue(bits.getMessage().contains("BitsStored 20"), bits.getMessage());
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, reasonFor(ctWith("2.25.412", DicomElement.of("BitsAllocated", "US", 32))));
        assertEquals(QuarantineReason.UNSUPPORTED_IMAGE, reasonFor(ctWith("2.25.413", DicomElement.of("BitsStored", "US", 0))));
    }

    @Test
    void whatTheHeaderAcceptsStillDecodes() throws Exception {
        // Synthetic slices say ORIGINAL\PRIMARY\AXIAL; MONOCHROME1 and an absent PhotometricInterpretation pass too.
        assertNotNull(decoder.decode(ctWith("2.25.414", DicomElement.of("ImageType", "CS", "ORIGINAL", "PRIMARY", "AXIAL")), NAME));
        assertNotNull(decoder.decode(ctWith("2.25.415", DicomElement.of("PhotometricInterpretation", "CS", "MONOCHROME1")), NAME));
        assertNotNull(decoder.decode(ctWith("2.25.416", DicomElement.of("BitsStored", "US", 12)), NAME));
    }

    @Test
    void onlyAFileThatReallyEndsEarlyIsTruncated() {
        byte[] good = CtFixtures.ct("2.25.417");
        assertEquals(QuarantineReason.TRUNCATED, reasonFor(Arrays.copyOf(good, good.length - 200))); // in the pixels
        assertEquals(QuarantineReason.TRUNCATED, reasonFor(Arrays.copyOf(good, good.length - 700))); // in the header
        byte[] j2k = DicomBytes.encapsulatedCt(JPEG_2000, "2.25.418", new byte[300]);
        assertEquals(QuarantineReason.TRUNCATED, reasonFor(Arrays.copyOf(j2k, j2k.length - 150))); // not the codec's fault
        byte[] deflated = DicomBytes.part10(DEFLATED, "2.25.419",
                DicomBytes.deflate(DicomBytes.nativeCtDataset("2.25.419", 64, 64, phantom(64), 0)));
        assertEquals(QuarantineReason.TRUNCATED, reasonFor(Arrays.copyOf(deflated, deflated.length - 100)));
    }

    @Test
    void pixelDataThatIsWholeButShortIsCorrupt() {
        byte[] shortPixels = CtFixtures.bytes(new DicomObject(CtFixtures.EXPLICIT_LE, CtFixtures.ctHeader("2.25.420", "CT", 16, 16), new short[100]));
        DicomReadException e = rejected(shortPixels);
        assertEquals(QuarantineReason.CORRUPT, e.reason(), e.getMessage());
        assertEquals(NAME + ": 100 pixels for a 16x16 image", e.getMessage());
    }
}
