package org.ich.etl;

import org.ich.config.Settings;

import java.io.Serializable;

/**
 * How much of one input file ich is willing to hold: hostile or broken files (a 3 GB object, a deflate bomb) must be
 * quarantined TOO_LARGE before they cost an executor its heap.
 *
 * @param maxFileBytes     files larger than this are quarantined without reading a byte
 * @param maxInflatedBytes a deflated dataset that inflates to more than this is quarantined before it is parsed
 */
public record FileLimits(long maxFileBytes, long maxInflatedBytes) implements Serializable {
    /** A Java array holds at most about 2^31 bytes: a file is read into one, so no cap may exceed it. */
    public static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;
    public static final FileLimits DEFAULT = new FileLimits(256L << 20, 512L << 20);

    public static FileLimits from(Settings s) {
        return new FileLimits(s.bytes("ich.etl.max-file-bytes", 1, ARRAY_LIMIT), s.bytes("ich.etl.max-inflated-bytes", 1, ARRAY_LIMIT));
    }
}
