package org.ich.explore;

import org.ich.pixel.Window;
import org.ich.report.ReportPage;
import org.ich.report.TensorImages;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ReportPartsTest {
    @Test
    void windowsComeFromTheTableProperty() {
        TensorSpec spec = TensorSpec.from(Map.of("ich.tensor.windows", "brain:40:80,bone:600:2800", "ich.tensor.size", "256"));
        assertEquals(List.of(new Window("brain", 40, 80), new Window("bone", 600, 2800)), spec.windows());
        assertEquals(256, spec.size());
        assertEquals("bone (600/2800 HU)", spec.channelName(1, 2));
        // A tensor deeper than the declared stack is not described by it.
        assertEquals("channel 1", spec.channelName(1, 3));
    }

    @Test
    void unreadableWindowsFallBackToChannelNumbers() {
        assertEquals(List.of(), TensorSpec.parseWindows("brain:forty:80"));
        assertEquals(List.of(), TensorSpec.parseWindows(null));
        assertEquals("channel 0", TensorSpec.from(Map.of()).channelName(0, 1));
    }

    @Test
    void pageEscapesEveryText() {
        String html = new ReportPage("t", "m").table(List.of("manufacturer"), List.of(List.of("<script>x</script>"))).finish("f");
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("&lt;script&gt;"));
    }

    @Test
    void channelImageKeepsTheStoredBytes() {
        byte[] tensor = new byte[2 * 4 * 4];
        for (int i = 0; i < tensor.length; i++) tensor[i] = (byte) (i * 8);
        var img = TensorImages.channel(tensor, 1, 4);
        assertEquals((16 + 2 * 4 + 3) * 8, img.getRaster().getSample(3, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> TensorImages.channel(tensor, 2, 4));
        assertTrue(TensorImages.consistent(tensor, 2, 4));
        assertFalse(TensorImages.consistent(tensor, 3, 4));
    }
}
