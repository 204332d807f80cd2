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
        if (path == null || path.isEmpty()) return out;
        out = out.replace(path, replacement);
        // An object store's key is the path without its leading slash, and its errors quote the key.
        return path.length() > 1 ? out.replace(path.substring(1), replacement) : out;
    }
}
