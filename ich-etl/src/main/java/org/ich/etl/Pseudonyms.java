package org.ich.etl;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Keyed pseudonyms for DICOM identifiers: HMAC-SHA256 under a secret key, hex, 32 characters. Without the key
 * nobody can recompute them from a patient ID (a plain hash of a short ID is easy to reverse by enumeration).
 */
public final class Pseudonyms {
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
}
