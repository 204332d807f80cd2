package org.ich.testing;

import org.ich.dicom.DicomElement;
import org.ich.dicom.DicomObject;
import org.ich.dicom.PixelMedDicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Small DICOM objects built directly, for tests that need one precise header rather than a synthetic study. */
public final class CtFixtures {
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private CtFixtures() {}

    public static List<DicomElement> ctHeader(String sop, String modality, int rows, int cols) {
        List<DicomElement> e = new ArrayList<>();
        e.add(DicomElement.of("SOPClassUID", "UI", modality.equals("CT") ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.4"));
        e.add(DicomElement.of("SOPInstanceUID", "UI", sop));
        e.add(DicomElement.of("Modality", "CS", modality));
        e.add(DicomElement.of("PatientName", "PN", "Fixture^Person"));
        e.add(DicomElement.of("PatientID", "LO", "FIXTURE-PID"));
        e.add(DicomElement.of("StudyInstanceUID", "UI", "2.25.1"));
        e.add(DicomElement.of("SeriesInstanceUID", "UI", "2.25.2"));
        e.add(DicomElement.of("SamplesPerPixel", "US", 1));
        e.add(DicomElement.of("PhotometricInterpretation", "CS", "MONOCHROME2"));
        e.add(DicomElement.of("Rows", "US", rows));
        e.add(DicomElement.of("Columns", "US", cols));
        e.add(DicomElement.of("BitsAllocated", "US", 16));
        e.add(DicomElement.of("BitsStored", "US", 16));
        e.add(DicomElement.of("HighBit", "US", 15));
        e.add(DicomElement.of("PixelRepresentation", "US", 0));
        e.add(DicomElement.of("RescaleIntercept", "DS", -1024));
        e.add(DicomElement.of("RescaleSlope", "DS", 1));
        return e;
    }

    public static byte[] bytes(DicomObject d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PixelMedDicom.write(d, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A 16x16 CT slice of brain-like HU (stored + 1024). */
    public static byte[] ct(String sop) {
        short[] px = new short[16 * 16];
        java.util.Arrays.fill(px, (short) (1024 + 40));
        return bytes(new DicomObject(EXPLICIT_LE, ctHeader(sop, "CT", 16, 16), px));
    }

    public static byte[] withoutPixels(String sop) {
        return bytes(new DicomObject(EXPLICIT_LE, ctHeader(sop, "CT", 16, 16), null));
    }

    public static byte[] mr(String sop) {
        return bytes(new DicomObject(EXPLICIT_LE, ctHeader(sop, "MR", 16, 16), new short[256]));
    }
}
