package org.ich.etl;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.ich.domain.Split;

/**
 * Assigns train/valid/test per patient, never per slice, so no patient's slices leak across splits. The draw is a
 * hash of salt and patient key: stable across nightly runs and machines, with no state to keep.
 */
public record SplitPolicy(double train, double valid, double test, String salt) implements Serializable {
    public static final String TRAIN = Split.TRAIN, VALID = Split.VALID, TEST = Split.TEST;

    public SplitPolicy {
        if (Math.abs(train + valid + test - 1.0) > 1e-6) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + (train + valid + test));
        }
    }

    public String assign(String patientKey) {
        double u = uniform(salt + "/" + patientKey);
        if (u < train) return TRAIN;
        if (u < train + valid) return VALID;
        return TEST;
    }

    static double uniform(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(d).getLong() >>> 11; // 53 random bits -> [0,1)
            return bits / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
