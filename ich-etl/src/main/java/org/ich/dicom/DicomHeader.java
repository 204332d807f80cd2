package org.ich.dicom;

/**
 * A file's attributes read up to its pixel data, which is neither read nor decoded: what the header-first checks
 * look at, so a file ich will not use costs no codec call and no pixel buffer.
 *
 * @param attributes   every attribute before PixelData; {@link DicomObject#pixels()} is null
 * @param hasPixelData the dataset has a top-level PixelData element (7FE0,0010)
 */
public record DicomHeader(DicomObject attributes, boolean hasPixelData) {}
