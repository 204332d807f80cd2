package org.ich.synth;

/** The two uncompressed syntaxes synth writes; real archives still hold old implicit-VR files. */
public enum TransferSyntax {
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1"),
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2");

    private final String uid;

    TransferSyntax(String uid) { this.uid = uid; }

    public String uid() { return uid; }
}
