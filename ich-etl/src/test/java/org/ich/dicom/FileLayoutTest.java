package org.ich.dicom;

import org.ich.testing.CtFixtures;
import org.ich.testing.DicomBytes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FileLayoutTest {
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";

    private static int metaEnd(byte[] part10) {
        return 132 + 12 + ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void aWholeFileIsCompleteInEachNativeSyntax() {
        byte[] explicit = CtFixtures.ct("2.25.301");
        FileLayout layout = FileLayout.of(explicit);
        assertEquals(FileLayout.Ending.COMPLETE, layout.ending(), layout.shortfall());
        assertEquals(CtFixtures.EXPLICIT_LE, layout.transferSyntaxUid());
        assertEquals(metaEnd(explicit), layout.datasetStart());
        assertTrue(layout.hasPixelData());

        byte[] implicit = CtFixtures.bytes(new DicomObject(IMPLICIT_LE, CtFixtures.ctHeader("2.25.302", "CT", 16, 16), new short[256]));
        FileLayout implicitLayout = FileLayout.of(implicit);
        assertEquals(FileLayout.Ending.COMPLETE, implicitLayout.ending(), implicitLayout.shortfall());
        assertEquals(IMPLICIT_LE, implicitLayout.transferSyntaxUid());
        assertTrue(implicitLayout.hasPixelData());

        FileLayout noPixels = FileLayout.of(CtFixtures.withoutPixels("2.25.303"));
        assertEquals(FileLayout.Ending.COMPLETE, noPixels.ending());
        assertFalse(noPixels.hasPixelData());
    }

    @Test
    void encapsulatedPixelDataIsWalkedItemByItem() {
        byte[] file = DicomBytes.encapsulatedCt("1.2.840.10008.1.2.4.90", "2.25.304", new byte[300]);
        FileLayout layout = FileLayout.of(file);
        assertEquals(FileLayout.Ending.COMPLETE, layout.ending(), layout.shortfall());
        assertTrue(layout.hasPixelData());

        FileLayout cutInFragment = FileLayout.of(Arrays.copyOf(file, file.length - 100));
        assertEquals(FileLayout.Ending.ENDS_EARLY, cutInFragment.ending());
        FileLayout noDelimiter = FileLayout.of(Arrays.copyOf(file, file.length - 8));
        assertEquals(FileLayout.Ending.ENDS_EARLY, noDelimiter.ending());
        assertTrue(noDelimiter.shortfall().contains("(7fe0,0010)"), noDelimiter.shortfall());
    }

    @Test
    void aCutFileEndsEarlyAndSaysInsideWhat() {
        byte[] good = CtFixtures.ct("2.25.305");
        FileLayout inPixels = FileLayout.of(Arrays.copyOf(good, good.length - 200));
        assertEquals(FileLayout.Ending.ENDS_EARLY, inPixels.ending());
        assertTrue(inPixels.hasPixelData());
        assertEquals("element (7fe0,0010) announces 512 bytes, 312 remain", inPixels.shortfall());

        FileLayout inHeader = FileLayout.of(Arrays.copyOf(good, good.length - 700));
        assertEquals(FileLayout.Ending.ENDS_EARLY, inHeader.ending());
        assertFalse(inHeader.hasPixelData());

        FileLayout inMeta = FileLayout.of(Arrays.copyOf(good, 150));
        assertEquals(FileLayout.Ending.ENDS_EARLY, inMeta.ending());
    }

    @Test
    void aDeflatedDatasetStartsWhereTheMetaGroupSaysAndIsNotWalked() {
        short[] px = new short[64];
        Arrays.fill(px, (short) 1064);
        byte[] dataset = DicomBytes.nativeCtDataset("2.25.306", 8, 8, px, 0);
        byte[] file = DicomBytes.part10(FileLayout.DEFLATED_EXPLICIT_LE, "2.25.306", DicomBytes.deflate(dataset));
        FileLayout layout = FileLayout.of(file);
        assertEquals(FileLayout.DEFLATED_EXPLICIT_LE, layout.transferSyntaxUid());
        assertEquals(FileLayout.Ending.NOT_WALKED, layout.ending());
        assertEquals(metaEnd(file), layout.datasetStart());
        InflatedSize size = InflatedSize.count(file, layout.datasetStart(), Long.MAX_VALUE);
        assertEquals(new InflatedSize(InflatedSize.Outcome.WITHIN_CAP, dataset.length), size);

        // PixelMed's own deflated writer: the same start, the same stream end.
        byte[] pixelmed = CtFixtures.bytes(new DicomObject(FileLayout.DEFLATED_EXPLICIT_LE, CtFixtures.ctHeader("2.25.307", "CT", 8, 8), px));
        FileLayout written = FileLayout.of(pixelmed);
        assertEquals(metaEnd(pixelmed), written.datasetStart());
        assertEquals(InflatedSize.Outcome.WITHIN_CAP, InflatedSize.count(pixelmed, written.datasetStart(), Long.MAX_VALUE).outcome());
    }

    @Test
    void aBareDatasetWithoutMetaIsWalkedInTheSyntaxItLooksLike() {
        byte[] dataset = DicomBytes.nativeCtDataset("2.25.308", 4, 4, new short[16], 0);
        FileLayout layout = FileLayout.of(dataset);
        assertNull(layout.transferSyntaxUid());
        assertEquals(0, layout.datasetStart());
        assertEquals(FileLayout.Ending.COMPLETE, layout.ending(), layout.shortfall());
        assertTrue(layout.hasPixelData());
    }

    @Test
    void noiseAndDamagedFilesNeverBreakTheWalk() {
        Random random = new Random(7);
        byte[] good = DicomBytes.encapsulatedCt("1.2.840.10008.1.2.4.90", "2.25.309", new byte[64]);
        for (int i = 0; i < 2000; i++) {
            byte[] b = i % 2 == 0 ? new byte[random.nextInt(600)] : good.clone();
            if (i % 2 == 0) random.nextBytes(b);
            else for (int k = 0; k < 4; k++) b[132 + random.nextInt(b.length - 132)] = (byte) random.nextInt(256);
            assertNotNull(FileLayout.of(b).ending());
        }
    }
}
