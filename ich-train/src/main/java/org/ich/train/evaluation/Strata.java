package org.ich.train.evaluation;

import java.util.List;

/**
 * The subgroups an evaluation is broken down by, banded from slice header columns. A model that is
 * good overall can still fail on one scanner or on thick slices; these are the axes the RSNA data
 * varies along. Anything missing (null, NaN, blank) becomes {@link #UNKNOWN}, a stratum of its own,
 * rather than being dropped.
 */
public final class Strata {

    /** The stratum kind (and value) that holds every case. */
    public static final String ALL = "all";
    public static final String MANUFACTURER = "manufacturer";
    public static final String SLICE_THICKNESS = "slice_thickness";
    public static final String KVP = "kvp";
    public static final String PIXEL_ENCODING = "pixel_encoding";
    public static final String MATRIX = "matrix";

    /** Every kind a case is stratified by, in report order; {@link #ALL} is not one of them. */
    public static final List<String> KINDS = List.of(MANUFACTURER, SLICE_THICKNESS, KVP, PIXEL_ENCODING, MATRIX);

    public static final String UNKNOWN = "unknown";

    private Strata() {
    }

    /** The header's manufacturer, trimmed, spelling and case kept. */
    public static String manufacturer(String manufacturer) {
        if (manufacturer == null || manufacturer.isBlank()) {
            return UNKNOWN;
        }
        return manufacturer.trim();
    }

    /** Each band holds its upper edge: 1.5 mm is "<=1.5 mm", 3 mm is "1.5-3 mm". */
    public static String thicknessBand(Double mm) {
        if (mm == null || mm.isNaN()) {
            return UNKNOWN;
        }
        if (mm <= 1.5) {
            return "<=1.5 mm";
        }
        if (mm <= 3) {
            return "1.5-3 mm";
        }
        if (mm <= 5) {
            return "3-5 mm";
        }
        return ">5 mm";
    }

    /** Each band holds its upper edge: 120 kV is "100-120 kV". */
    public static String kvpBand(Double kvp) {
        if (kvp == null || kvp.isNaN()) {
            return UNKNOWN;
        }
        if (kvp <= 100) {
            return "<=100 kV";
        }
        if (kvp <= 120) {
            return "100-120 kV";
        }
        return ">120 kV";
    }

    /** Whether the ETL had to repair the slice's rescale intercept, or used the pixels as stored. */
    public static String encoding(Boolean interceptFixed) {
        if (interceptFixed == null) {
            return UNKNOWN;
        }
        return interceptFixed ? "intercept fixed" : "as stored";
    }

    /** Rows by columns, e.g. "512x512". */
    public static String matrix(Integer rows, Integer cols) {
        if (rows == null || cols == null) {
            return UNKNOWN;
        }
        return rows + "x" + cols;
    }
}
