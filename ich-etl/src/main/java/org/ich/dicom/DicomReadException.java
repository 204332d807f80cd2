package org.ich.dicom;

/** A file that cannot become a slice, with the quarantine reason class that says why. */
public class DicomReadException extends Exception {
    private final QuarantineReason reason;

    public DicomReadException(QuarantineReason reason, String message) {
        this(reason, message, null);
    }

    public DicomReadException(QuarantineReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public QuarantineReason reason() { return reason; }
}
