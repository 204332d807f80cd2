package org.ich.etl;

import java.net.URI;

/** Cuts a file's URI and path out of a text (storage errors and old messages quote them), so the text can be kept. */
public final class PathScrub {
    private PathScrub() {}

    public static String scrub(String text, String uri, String replacement) {
        if (text == null || uri == null) return text;
        String out = text.replace(uri, replacement);
        String path;
        try {
            path = URI.create(uri).getPath();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        return path == null || path.isEmpty() ? out : out.replace(path, replacement);
    }
}
