package org.ich.synth;

/**
 * How {@code ich synth} marks what it writes, so that data made from its files can be told apart from patient scans
 * downstream: every instance carries SoftwareVersions (0018,1020) = {@value #SOFTWARE_VERSIONS}, a technical attribute
 * the ETL keeps in {@code slices.header_json} (see {@link org.ich.etl.HeaderJson}).
 */
public final class SyntheticMarker {
    /** The header_json key that carries the mark. */
    public static final String HEADER_KEY = "SoftwareVersions";
    public static final String SOFTWARE_VERSIONS = "ich synth";

    private SyntheticMarker() {}
}
