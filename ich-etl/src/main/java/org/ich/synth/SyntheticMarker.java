package org.ich.synth;

/**
 * How {@code ich synth} marks what it writes, so that data made from its files can be told apart from patient scans
 * downstream: every instance carries SoftwareVersions (0018,1020) = {@value #SOFTWARE_VERSIONS},
 * a device attribute the ETL keeps in the typed column {@code slices.software_versions} (not in {@code header_json},
 * which holds no text).
 */
public final class SyntheticMarker {
    /** The DICOM attribute that carries the mark. */
    public static final String ATTRIBUTE = "SoftwareVersions";
    public static final String SOFTWARE_VERSIONS = "ich synth";

    private SyntheticMarker() {}
}
