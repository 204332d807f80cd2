package org.ich.synth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * DICOM UIDs under the 2.25 root (a UUID-sized integer, ISO/IEC 9834-8), derived by hashing the seed and what the
 * UID identifies. Hashing rather than counting keeps UIDs from different seeds apart, so cohorts can be merged
 * into one input folder without collisions.
 */
final class Uids {
    private Uids() {}

    static String of(long seed, String kind, long... indices) {
        StringBuilder key = new StringBuilder("ich.synth/").append(seed).append('/').append(kind);
        for (long i : indices) key.append('/').append(i);
        byte[] digest = sha256(key.toString());
        byte[] first128 = Arrays.copyOf(digest, 16);
        return "2.25." + new BigInteger(1, first128);
    }

    /** Short opaque hex token (e.g. for folder names) from the same hash family. */
    static String token(long seed, String kind, long index) {
        byte[] d = sha256("ich.synth/" + seed + "/" + kind + "/" + index);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 4; i++) s.append(String.format(Locale.ROOT, "%02x", d[i] & 0xFF));
        return s.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
