package org.ich.dicom;

import org.ich.testing.DicomBytes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class InflatedSizeTest {

    @Test
    void aStreamWithinTheCapIsCountedExactly() {
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        byte[] deflated = DicomBytes.deflate(data);
        assertEquals(new InflatedSize(InflatedSize.Outcome.WITHIN_CAP, 100_000), InflatedSize.count(deflated, 0, 100_000));
        assertEquals(InflatedSize.Outcome.OVER_CAP, InflatedSize.count(deflated, 0, 99_999).outcome());
    }

    @Test
    void aBombStopsJustPastTheCap() {
        byte[] bomb = DicomBytes.deflate(new byte[16 << 20]);
        assertTrue(bomb.length < 50_000, "16 MB of zeros deflate to " + bomb.length + " bytes");
        InflatedSize size = InflatedSize.count(bomb, 0, 1 << 20);
        assertEquals(InflatedSize.Outcome.OVER_CAP, size.outcome());
        assertTrue(size.bytes() > 1 << 20 && size.bytes() <= (1 << 20) + (64 << 10), "counted " + size.bytes());
    }

    @Test
    void aStreamThatStopsShortEndsEarly() {
        byte[] data = new byte[50_000];
        new Random(4).nextBytes(data);
        byte[] deflated = DicomBytes.deflate(data);
        assertEquals(InflatedSize.Outcome.ENDS_EARLY, InflatedSize.count(Arrays.copyOf(deflated, deflated.length / 2), 0, 1 << 20).outcome());
        assertEquals(InflatedSize.Outcome.ENDS_EARLY, InflatedSize.count(deflated, deflated.length, 1 << 20).outcome());
    }

    @Test
    void bytesThatAreNotDeflateSaySo() {
        byte[] junk = new byte[1000];
        Arrays.fill(junk, (byte) 0xFF); // block type 3, which deflate does not have
        assertEquals(InflatedSize.Outcome.NOT_DEFLATE, InflatedSize.count(junk, 0, 1 << 20).outcome());
    }

    @Test
    void theCountStartsAtTheOffset() {
        byte[] deflated = DicomBytes.deflate(new byte[1000]);
        byte[] prefixed = new byte[deflated.length + 10];
        Arrays.fill(prefixed, 0, 10, (byte) 0xFF);
        System.arraycopy(deflated, 0, prefixed, 10, deflated.length);
        assertEquals(new InflatedSize(InflatedSize.Outcome.WITHIN_CAP, 1000), InflatedSize.count(prefixed, 10, 1 << 20));
    }
}
