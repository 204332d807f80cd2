package org.ich.train.registry;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Objects;
import java.util.TreeSet;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Names the set of patients a model was validated on, so that two models' losses are compared only when they were
 * measured on the same patients. A SHA-256 over the sorted, distinct patient keys (already pseudonyms), prefixed with
 * the patient count so a mismatch is easy to read.
 */
public final class ValidationFingerprint {
    private ValidationFingerprint() {}

    /** e.g. {@code 412p-sha256:9f2c...}; order and duplicates of the input do not matter. */
    public static String of(Collection<String> patientKeys) {
        if (patientKeys.stream().anyMatch(Objects::isNull)) throw new IllegalArgumentException("patient keys must not be null");
        TreeSet<String> sorted = new TreeSet<>(patientKeys);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
        for (String key : sorted) {
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return sorted.size() + "p-sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    /** Of the patients of one split of a slices dataset (collects distinct keys to the driver: one string each). */
    public static String ofSplit(Dataset<Row> slices, String split) {
        var keys = slices.filter(col("split").equalTo(split)).select("patient_key").distinct().as(Encoders.STRING())
                .collectAsList();
        return of(keys);
    }

    /** Short form for messages. */
    static String brief(String fingerprint) {
        if (fingerprint == null) return "none";
        int at = fingerprint.indexOf(':');
        return at >= 0 && fingerprint.length() > at + 13 ? fingerprint.substring(0, at + 13) + "..." : fingerprint;
    }
}
