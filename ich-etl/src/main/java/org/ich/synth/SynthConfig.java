package org.ich.synth;

import java.net.URI;
import java.util.Objects;

import org.ich.config.ConfigError;
import org.ich.config.Settings;

/**
 * The {@code ich.synth} section, typed and checked. The compact constructor validates, so a config built in code
 * (tests, the benchmark) is held to the same rules as one read from HOCON, and errors name the HOCON key.
 *
 * @param masks folder for the per-slice blood masks ({@code <masks>/<SOPInstanceUID>.png}, see {@link CohortWriter}),
 *              or null for none; like {@code labels} it must lie outside {@code out}
 */
public record SynthConfig(URI out, URI labels, int patients, long seed, int minSlices, int maxSlices, int matrix,
                          double bleedFraction, double badInterceptFraction, double signedFraction,
                          double implicitVrFraction, double multiWindowFraction, double oddMatrixFraction,
                          int duplicateLabelRows, boolean replace, int threads, URI masks) {

    static final String P = "ich.synth.";

    public SynthConfig {
        check(patients >= 1, "patients", "must be at least 1, got " + patients);
        check(minSlices >= 5, "min-slices", "must be at least 5 (bleeds span several slices), got " + minSlices);
        check(maxSlices <= 1000, "max-slices", "must be at most 1000, got " + maxSlices);
        check(minSlices <= maxSlices, "min-slices", "must not exceed max-slices (" + minSlices + " > " + maxSlices + ")");
        check(matrix >= 64 && matrix <= 2048, "matrix", "must be between 64 and 2048 pixels, got " + matrix);
        fraction(bleedFraction, "bleed-fraction");
        fraction(badInterceptFraction, "bad-intercept-fraction");
        fraction(signedFraction, "signed-fraction");
        fraction(implicitVrFraction, "implicit-vr-fraction");
        fraction(multiWindowFraction, "multi-window-fraction");
        fraction(oddMatrixFraction, "odd-matrix-fraction");
        check(badInterceptFraction + signedFraction <= 1.0, "signed-fraction",
                "plus bad-intercept-fraction must not exceed 1 (a series has one pixel encoding)");
        check(duplicateLabelRows >= 0, "duplicate-label-rows", "must not be negative, got " + duplicateLabelRows);
        check(threads >= 0, "threads", "must be 0 (one per core) or more, got " + threads);
        check(!inside(labels, out), "labels", "must not be inside ich.synth.out (" + out + "): the ETL would read it as a DICOM file");
        check(masks == null || !inside(org.ich.spark.Storage.child(masks, "mask.png"), out), "masks",
                "must not be ich.synth.out (" + out + ") nor inside it: the ETL would read the masks as DICOM files");
    }

    public static SynthConfig from(Settings s) {
        return new SynthConfig(
                s.storageUri(P + "out"),
                s.storageUri(P + "labels"),
                s.integer(P + "patients", 1, 1_000_000),
                s.longValue(P + "seed", Long.MIN_VALUE, Long.MAX_VALUE),
                s.integer(P + "min-slices", 1, 1000),
                s.integer(P + "max-slices", 1, 1000),
                s.integer(P + "matrix", 1, 65535),
                s.number(P + "bleed-fraction", 0, 1),
                s.number(P + "bad-intercept-fraction", 0, 1),
                s.number(P + "signed-fraction", 0, 1),
                s.number(P + "implicit-vr-fraction", 0, 1),
                s.number(P + "multi-window-fraction", 0, 1),
                s.number(P + "odd-matrix-fraction", 0, 1),
                s.integer(P + "duplicate-label-rows", 0, Integer.MAX_VALUE),
                s.bool(P + "replace"),
                s.integer(P + "threads", 0, 1024),
                s.optionalStorageUri(P + "masks"));
    }

    /**
     * How many of {@code n} items a fraction selects: rounded, but at least one when the fraction is positive, so
     * even a two-patient test cohort contains every quirk that is switched on.
     */
    static int quota(double fraction, int n) {
        if (fraction <= 0) return 0;
        return Math.min(n, Math.max(1, (int) Math.round(fraction * n)));
    }

    /** True when {@code ich.synth.masks} is set. */
    public boolean writesMasks() {
        return masks != null;
    }

    int effectiveThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(patients, threads == 0 ? cores : threads));
    }

    private static void fraction(double v, String key) {
        check(v >= 0 && v <= 1, key, "must be a fraction between 0 and 1, got " + v);
    }

    private static void check(boolean ok, String key, String problem) {
        if (!ok) throw new ConfigError(P + key, problem);
    }

    /** Compared by scheme, authority and path, so file:/x and file:///x count as the same place. */
    private static boolean inside(URI file, URI dir) {
        if (!String.valueOf(file.getScheme()).equals(String.valueOf(dir.getScheme()))) return false;
        if (!Objects.equals(emptyToNull(file.getAuthority()), emptyToNull(dir.getAuthority()))) return false;
        String d = dir.normalize().getPath();
        String f = file.normalize().getPath();
        if (d == null || f == null) return false;
        if (!d.endsWith("/")) d += "/";
        return f.startsWith(d);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
