package org.ich.etl;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Keyed pseudonyms for DICOM identifiers: HMAC-SHA256 under a secret key, hex, 32 characters. Without the key
 * nobody can recompute them from a patient ID (a plain hash of a short ID is easy to reverse by enumeration).
 * Every key column of the analyst tables comes from here, so a table never holds an identifier or an unkeyed hash.
 */
public final class Pseudonyms implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] key;

    public Pseudonyms(byte[] key) {
        if (key.length < 16) throw new IllegalArgumentException("pseudonym key must have at least 16 bytes");
        this.key = key.clone();
    }

    /** The domain prefix keeps a patient ID and a UID that happen to be equal from sharing a pseudonym. */
    public String of(String domain, String identifier) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((domain + "\u0000" + identifier).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public String patient(String patientId) { return of("patient", patientId); }

    public String study(String studyUid) { return of("study", studyUid); }

    public String series(String seriesUid) { return of("series", seriesUid); }

    /**
     * {@code slice_key}: the one key of a slice in every analyst table. Taken over {@link LabelId#sopKey} (no leading
     * "ID_"), so a DICOM file's SOPInstanceUID and the RSNA label CSV's ID reach the same key.
     */
    public String slice(String sopInstanceUid) { return of("slice", LabelId.sopKey(sopInstanceUid)); }

    /** {@code file_key}: names a file in tables, messages and logs instead of its path. */
    public String file(String sourceUri) { return of("file", sourceUri); }

    /**
     * {@code content_hash}: the file's SHA-256 (hex) keyed like the other pseudonyms, so identical copies still match
     * while a hash of a file full of PHI cannot be looked up elsewhere.
     */
    public String content(String sha256Hex) { return of("content", sha256Hex); }

    /**
     * The key's id, recorded on the tables it wrote: a keyed digest of a fixed string, so it tells two keys apart
     * without revealing either.
     */
    public String keyId() { return of("key-id", "ich").substring(0, 16); }
}
