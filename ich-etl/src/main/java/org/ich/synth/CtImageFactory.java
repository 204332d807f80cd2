package org.ich.synth;

import org.ich.dicom.DicomElement;
import org.ich.dicom.DicomObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the DICOM object of one CT slice: a full CT Image Storage header (acquisition, geometry, pixel module,
 * identifiers, PHI) plus the slice's HU stored in the series' encoding. Values derive from the plan only, never the
 * clock, so the same plan gives the same bytes.
 */
public final class CtImageFactory {
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final PatientPhi TWIN_PATIENT = new PatientPhi("Twinning^Probe", "Twinning", "MRNTWIN0001", "19600101", "F",
            "058Y", "1 Test Lane, Nowhere 00000", "ACCTWIN0001", "Nobody^Referrer^^Dr", "Nobody", "Twin Test Hospital",
            "20180101", "120000");

    private CtImageFactory() {}

    /** The DICOM object of slice {@code slice} of the patient's series, with pixels from {@code rendered}. */
    public static DicomObject instance(PatientPlan patient, int slice, RenderedSlice rendered) {
        return instance(patient.phi(), patient.series(), slice, rendered.hu());
    }

    /**
     * A stand-alone CT slice holding {@code hu} in the given encoding and syntax, for tests that need the same HU
     * written two ways ("twins"). The header is complete and plausible; study and series UIDs derive from
     * {@code sopInstanceUid}, so twins with different SOP UIDs land in different series.
     */
    public static DicomObject twin(short[] hu, int rows, int columns, CtEncoding encoding, TransferSyntax syntax, String sopInstanceUid) {
        if (hu.length != rows * columns) throw new IllegalArgumentException("hu has " + hu.length + " pixels, expected " + rows * columns);
        SeriesPlan series = new SeriesPlan(2, rows, columns, round(240.0 / Math.max(rows, columns), 4), 5, 0, 0, 1, encoding, syntax,
                List.of(new SeriesPlan.Window(40, 80)), new Scanner("GE MEDICAL SYSTEMS", "LightSpeed VCT", "STANDARD", 120, 250, "CT1"),
                sopInstanceUid + ".1", sopInstanceUid + ".2", sopInstanceUid + ".3", List.of(sopInstanceUid), List.of("twin.dcm"));
        return instance(TWIN_PATIENT, series, 0, hu);
    }

    static DicomObject instance(PatientPhi phi, SeriesPlan s, int slice, short[] hu) {
        if (hu.length != s.rows() * s.columns()) throw new IllegalArgumentException("slice is not " + s.rows() + "x" + s.columns());
        CtEncoding enc = s.encoding();
        Scanner scanner = s.scanner();
        List<DicomElement> e = new ArrayList<>(64);
        add(e, "SpecificCharacterSet", "CS", "ISO_IR 100");
        add(e, "ImageType", "CS", "ORIGINAL", "PRIMARY", "AXIAL");
        add(e, "SOPClassUID", "UI", CT_IMAGE_STORAGE);
        add(e, "SOPInstanceUID", "UI", s.sopUids().get(slice));
        add(e, "StudyDate", "DA", phi.studyDate());
        add(e, "SeriesDate", "DA", phi.studyDate());
        add(e, "ContentDate", "DA", phi.studyDate());
        add(e, "StudyTime", "TM", phi.studyTime());
        add(e, "SeriesTime", "TM", phi.studyTime());
        add(e, "ContentTime", "TM", phi.studyTime());
        add(e, "AccessionNumber", "SH", phi.accessionNumber());
        add(e, "Modality", "CS", "CT");
        add(e, "Manufacturer", "LO", scanner.manufacturer());
        add(e, "InstitutionName", "LO", phi.institutionName());
        add(e, "ReferringPhysicianName", "PN", phi.referringPhysicianName());
        add(e, "StationName", "SH", scanner.station());
        add(e, "StudyDescription", "LO", "CT HEAD WO CONTRAST");
        add(e, "SeriesDescription", "LO", "AXIAL HEAD " + ds(s.sliceSpacing()) + "MM");
        add(e, "ManufacturerModelName", "LO", scanner.model());
        add(e, "PatientName", "PN", phi.patientName());
        add(e, "PatientID", "LO", phi.patientId());
        add(e, "PatientBirthDate", "DA", phi.birthDate());
        add(e, "PatientSex", "CS", phi.sex());
        add(e, "PatientAge", "AS", phi.age());
        add(e, "PatientAddress", "LO", phi.address());
        add(e, "BodyPartExamined", "CS", "HEAD");
        add(e, "SliceThickness", "DS", ds(s.sliceSpacing()));
        add(e, "KVP", "DS", String.valueOf(scanner.kvp()));
        add(e, "ReconstructionDiameter", "DS", ds(s.pixelSpacing() * Math.max(s.rows(), s.columns())));
        add(e, "GantryDetectorTilt", "DS", "0");
        add(e, "XRayTubeCurrent", "IS", String.valueOf(scanner.tubeCurrent()));
        add(e, "ConvolutionKernel", "SH", scanner.kernel());
        add(e, "PatientPosition", "CS", "HFS");
        add(e, SyntheticMarker.ATTRIBUTE, "LO", SyntheticMarker.SOFTWARE_VERSIONS);
        add(e, "StudyInstanceUID", "UI", s.studyUid());
        add(e, "SeriesInstanceUID", "UI", s.seriesUid());
        add(e, "StudyID", "SH", "1");
        add(e, "SeriesNumber", "IS", String.valueOf(s.seriesNumber()));
        add(e, "AcquisitionNumber", "IS", "1");
        add(e, "InstanceNumber", "IS", String.valueOf(slice + 1));
        double ps = s.pixelSpacing();
        add(e, "ImagePositionPatient", "DS", ds(-(s.columns() - 1) / 2.0 * ps), ds(-(s.rows() - 1) / 2.0 * ps), ds(s.patientZ(slice)));
        add(e, "ImageOrientationPatient", "DS", "1", "0", "0", "0", "1", "0");
        add(e, "FrameOfReferenceUID", "UI", s.frameOfReferenceUid());
        add(e, "SliceLocation", "DS", ds(s.patientZ(slice)));
        add(e, "SamplesPerPixel", "US", "1");
        add(e, "PhotometricInterpretation", "CS", "MONOCHROME2");
        add(e, "Rows", "US", String.valueOf(s.rows()));
        add(e, "Columns", "US", String.valueOf(s.columns()));
        add(e, "PixelSpacing", "DS", ds(ps), ds(ps));
        add(e, "BitsAllocated", "US", String.valueOf(enc.bitsAllocated()));
        add(e, "BitsStored", "US", String.valueOf(enc.bitsStored()));
        add(e, "HighBit", "US", String.valueOf(enc.highBit()));
        add(e, "PixelRepresentation", "US", String.valueOf(enc.pixelRepresentation()));
        add(e, "WindowCenter", "DS", s.windows().stream().map(w -> String.valueOf(w.center())).toArray(String[]::new));
        add(e, "WindowWidth", "DS", s.windows().stream().map(w -> String.valueOf(w.width())).toArray(String[]::new));
        add(e, "RescaleIntercept", "DS", String.valueOf(enc.rescaleIntercept()));
        add(e, "RescaleSlope", "DS", "1");
        add(e, "RescaleType", "LO", "HU");
        return new DicomObject(s.syntax().uid(), e, enc.store(hu));
    }

    private static void add(List<DicomElement> list, String keyword, String vr, String... values) {
        list.add(new DicomElement(keyword, vr, List.of(values)));
    }

    /** A decimal string within DS's 16 characters, without exponent or trailing zeros. */
    static String ds(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (d.signum() == 0) return "0";
        return d.toPlainString();
    }

    private static double round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }
}
