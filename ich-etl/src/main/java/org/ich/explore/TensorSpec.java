package org.ich.explore;

import org.ich.etl.job.EtlTables;
import org.ich.pixel.Window;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The window stack and size a slices table declares in its {@code ich.tensor.*} properties, so each tensor channel
 * can be captioned with the window it holds. A table written without the properties still gets a report, with
 * channels named by position.
 */
record TensorSpec(List<Window> windows, Integer size, String raw) {

    static TensorSpec from(Map<String, String> tableProperties) {
        String raw = tableProperties.get(EtlTables.PROP_WINDOWS);
        Integer size = null;
        try {
            String s = tableProperties.get(EtlTables.PROP_SIZE);
            if (s != null) size = Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            size = null;
        }
        return new TensorSpec(parseWindows(raw), size, raw);
    }

    /** Parses {@code name:center:width,...}; anything unreadable yields no windows rather than a failed report. */
    static List<Window> parseWindows(String spec) {
        if (spec == null || spec.isBlank()) return List.of();
        List<Window> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            // From the right: the numbers never hold a colon, a free-form name might.
            int w = part.lastIndexOf(':');
            int c = w > 0 ? part.lastIndexOf(':', w - 1) : -1;
            if (c <= 0) return List.of();
            try {
                out.add(new Window(part.substring(0, c).trim(), Double.parseDouble(part.substring(c + 1, w)),
                        Double.parseDouble(part.substring(w + 1))));
            } catch (IllegalArgumentException e) {
                return List.of();
            }
        }
        return List.copyOf(out);
    }

    /**
     * Caption of channel {@code c} of a tensor with {@code channels} channels: the window's name and center/width
     * when the table declares a stack of that depth (a different depth means the declaration does not describe it).
     */
    String channelName(int c, int channels) {
        if (windows.size() == channels && c < channels) {
            Window w = windows.get(c);
            return w.name() + " (" + number(w.center()) + "/" + number(w.width()) + " HU)";
        }
        return "channel " + c;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
