package org.ich.dicom;

/** Why a file is in the quarantine table instead of the slices table; stored by name in the {@code reason} column. */
public enum QuarantineReason {
    EMPTY_FILE("the file has zero bytes"),
    NOT_DICOM("no DICOM header could be read: not a DICOM Part 10 file or dataset"),
    TOO_LARGE("the file, or its inflated dataset, is larger than ich.etl.max-file-bytes / max-inflated-bytes allow,"
            + " or needs more memory than an executor has"),
    TRUNCATED("the file ends before the data it announces"),
    CORRUPT("the bytes are all there but do not hold what the header announces (an element or pixel count that does not fit)"),
    NO_PIXEL_DATA("a DICOM object without an image, e.g. a structured report or presentation state"),
    UNSUPPORTED_TRANSFER_SYNTAX("pixel data in an encoding no installed pure-Java codec decodes correctly"),
    NOT_CT("modality is not CT"),
    UNSUPPORTED_IMAGE("an image ich cannot use as an axial slice (colour, multi-frame, odd bit depth)"),
    MISSING_ATTRIBUTE("an attribute a slice needs is absent or malformed"),
    MISSING_IDENTIFIER("PatientID, StudyInstanceUID or SeriesInstanceUID is absent: the slice belongs to no known patient, study or series"),
    DUPLICATE("same SOPInstanceUID or content as a file already in the slices table"),
    /** Storage failures are not here: such a file waits in the waiting table and is read again. */
    UNREADABLE("the DICOM library failed on the file in a way no other reason describes");

    private final String meaning;

    QuarantineReason(String meaning) { this.meaning = meaning; }

    public String meaning() { return meaning; }
}
