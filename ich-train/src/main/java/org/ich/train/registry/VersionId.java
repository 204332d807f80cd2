package org.ich.train.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Version ids: {@code yyyyMMdd-HHmmss-<8 hex>}, UTC time of creation then a hash of the run id. Lexical order is
 * creation order (to the second), and the hash tells two runs started in the same second apart.
 */
final class VersionId {
    static final Pattern PATTERN = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{8}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private VersionId() {}

    static String of(Instant created, String runId) {
        if (runId == null || runId.isBlank()) throw new IllegalArgumentException("run id must not be blank");
        return TIME.format(created) + "-" + hash8(runId);
    }

    static boolean valid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Ids become folder names: anything else (a path, "..") must never reach the file system. */
    static void check(String id) {
        if (!valid(id)) throw new IllegalArgumentException("not a model version id: '" + id + "' (expected e.g. 20261126-041500-1a2b3c4d)");
    }

    private static String hash8(String runId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(runId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
