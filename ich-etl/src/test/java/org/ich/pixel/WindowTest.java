package org.ich.pixel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WindowTest {
    private final Window brain = new Window("brain", 40, 80);
    private final Window subdural = new Window("subdural", 80, 200);
    private final Window bone = new Window("bone", 600, 2800);

    /** The byte one window stores for one HU value. */
    private static int byteOf(Window w, float hu) {
        return TensorCodec.encode(new float[] {hu}, List.of(w))[0] & 0xFF;
    }

    @Test
    void brainWindowMapsZeroToEightyOntoTheByteRange() {
        assertEquals(0, byteOf(brain, 0));
        assertEquals(255, byteOf(brain, 80));
        assertEquals(128, byteOf(brain, 40)); // 127.5 rounds up
        assertEquals(0, byteOf(brain, -5));
        assertEquals(255, byteOf(brain, 100));
    }

    @Test
    void subduralAndBoneWindows() {
        assertEquals(64, byteOf(subdural, 30)); // (30 + 20) * 255 / 200 = 63.75
        assertEquals(128, byteOf(bone, 600));
        assertEquals(0, byteOf(bone, -800));
        assertEquals(255, byteOf(bone, 2000));
    }

    @Test
    void tensorIsChannelMajorAndMatchesEachWindow() {
        float[] hu = {-1000, 0, 40, 80, 300, 2000};
        List<Window> ws = List.of(brain, subdural, bone);
        byte[] t = TensorCodec.encode(hu, ws);
        assertEquals(18, t.length);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < hu.length; i++) assertEquals(byteOf(ws.get(c), hu[i]), t[c * 6 + i] & 0xFF, "channel " + c + " pixel " + i);
        }
        float[] back = TensorCodec.channel(new byte[]{0, (byte) 255, 0, 0}, 0, 2);
        assertArrayEquals(new float[]{0f, 1f, 0f, 0f}, back);
    }

    @Test
    void specStringRoundTripsTheNumbers() {
        assertEquals("brain:40:80", brain.toString());
        assertEquals("x:40.5:80", new Window("x", 40.5, 80).toString());
        assertThrows(IllegalArgumentException.class, () -> new Window("bad", 40, 0));
    }

    @Test
    void brainFractionCountsStrictlyBetweenZeroAndEighty() {
        assertEquals(3.0 / 6, BrainWindow.fraction(new float[]{-1000, 0, 1, 79, 80, 40}), 1e-12);
    }
}
