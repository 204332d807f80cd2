package org.ich.train.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ich.config.ConfigError;
import org.ich.config.Settings;

/**
 * Test-time augmentation: views of a slice the network scores, whose sigmoid outputs are averaged. Only views that keep
 * the anatomy plausible for a model trained with left-right flips: the head's left-right mirror image, and the slice
 * itself.
 */
public enum Tta {
    IDENTITY,
    HFLIP;

    public static Tta parse(String name) {
        for (Tta t : values()) if (Settings.spelled(t).equals(name.trim().toLowerCase(Locale.ROOT))) return t;
        throw new IllegalArgumentException("unknown test-time augmentation '" + name + "'; expected "
                + Settings.choices(Tta.class));
    }

    /** Views as {@link #describe} writes them ({@code identity+hflip}); at least one. */
    public static List<Tta> parseAll(String described) {
        List<Tta> views = new ArrayList<>();
        for (String name : described.split("\\+")) views.add(parse(name));
        return List.copyOf(views);
    }

    /** The views listed under {@code key} (e.g. {@code ich.score.tta}); at least one. */
    public static List<Tta> read(Settings s, String key) {
        List<Tta> views = new ArrayList<>();
        for (String name : s.strings(key)) views.add(Settings.choice(key, name, Tta.class));
        if (views.isEmpty()) throw new ConfigError(key, "needs at least one view; [\"identity\"] scores each slice once");
        return List.copyOf(views);
    }

    public static String describe(List<Tta> views) {
        List<String> names = new ArrayList<>();
        for (Tta t : views) names.add(t.name().toLowerCase(Locale.ROOT));
        return String.join("+", names);
    }

    /** This view of a C x S x S plane stack (row-major); the input is left as it is. */
    public float[] apply(float[] chw, int channels, int size) {
        if (this == IDENTITY) return chw;
        float[] out = new float[chw.length];
        for (int row = 0, rows = channels * size; row < rows; row++) {
            int base = row * size;
            for (int x = 0; x < size; x++) out[base + x] = chw[base + size - 1 - x];
        }
        return out;
    }
}
