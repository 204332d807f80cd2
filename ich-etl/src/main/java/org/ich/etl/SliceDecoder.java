package org.ich.etl;

import org.ich.dicom.DicomElement;
import org.ich.dicom.DicomHeader;
import org.ich.dicom.DicomObject;
import org.ich.dicom.DicomReadException;
import org.ich.dicom.PixelMedDicom;
import org.ich.dicom.QuarantineReason;
import org.ich.pixel.BrainWindow;
import org.ich.pixel.CropBox;
import org.ich.pixel.HuImage;
import org.ich.pixel.Rescale;
import org.ich.pixel.Resampler;
import org.ich.pixel.TensorCodec;

/**
 * The in-process pixel path: DICOM bytes -> checked CT slice -> HU (with the intercept fix) -> brain fraction ->
 * crop to the head -> resize -> window stack. Pure Java; the ETL and the scorer call it on executors.
 *
 * <p>Hostile input first meets the caps and the header: the file's size, a deflated dataset's inflated size, then
 * every header check (DICOM, CT, pixel data, identifiers, image type, geometry, bit depth) before a pixel is read or
 * a codec runs. Only a file that passes them all is decoded.
 */
public final class SliceDecoder {
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final String ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1";
    /** The most pixels a slice may have: CT slices are 512 x 512, rarely 1024 x 1024; a header may claim 65535 x 65535. */
    static final long MAX_PIXELS = 8192L * 8192;

    private final PixelParams params;
    private final Pseudonyms pseudonyms;
    private final FileLimits limits;

    public SliceDecoder(PixelParams params, Pseudonyms pseudonyms) {
        this(params, pseudonyms, FileLimits.DEFAULT);
    }

    public SliceDecoder(PixelParams params, Pseudonyms pseudonyms, FileLimits limits) {
        this.params = params;
        this.pseudonyms = pseudonyms;
        this.limits = limits;
    }

    /** @param name how messages name the file: its file_key, never its path (messages reach the quarantine table) */
    public SliceRecord decode(byte[] bytes, String name) throws DicomReadException {
        if (bytes.length > limits.maxFileBytes()) {
            throw new DicomReadException(QuarantineReason.TOO_LARGE,
                    name + ": " + bytes.length + " bytes, more than " + limits.maxFileBytes() + " (ich.etl.max-file-bytes)");
        }
        DicomHeader header = PixelMedDicom.readHeader(bytes, name, limits.maxInflatedBytes());
        checkHeader(header.attributes(), header.hasPixelData(), name);
        return decode(PixelMedDicom.read(bytes, name), name);
    }

    public SliceRecord decode(DicomObject d, String name) throws DicomReadException {
        checkHeader(d, d.pixels() != null, name);
        String sop = d.string("SOPInstanceUID"), modality = d.string("Modality");
        int rows = d.integer("Rows"), cols = d.integer("Columns");
        // The file did not end early (PixelMed's read would have said so): the element is whole but too short.
        if (d.pixels().length < (long) rows * cols) {
            throw new DicomReadException(QuarantineReason.CORRUPT,
                    name + ": " + d.pixels().length + " pixels for a " + rows + "x" + cols + " image");
        }
        int bitsAllocated = bitsAllocated(d);
        int bitsStored = bitsStored(d);
        int pixelRepresentation = pixelRepresentation(d);
        double slope = slope(d);
        double intercept = intercept(d);

        HuImage hu = hu(d);
        double brain = BrainWindow.fraction(hu.hu());
        CropBox box = cropBox(hu, params);
        float[] resized = Resampler.resize(hu, box, params.size());
        byte[] tensor = TensorCodec.encode(resized, params.windows());

        double[] spacing = d.numbers("PixelSpacing");
        double[] wc = d.numbers("WindowCenter"), ww = d.numbers("WindowWidth");
        String patientId = d.string("PatientID"), study = d.string("StudyInstanceUID"), series = d.string("SeriesInstanceUID");
        return new SliceRecord(pseudonyms.slice(sop),
                pseudonyms.patient(patientId), pseudonyms.study(study), pseudonyms.series(series),
                zPosition(d), d.integer("InstanceNumber"),
                rows, cols, spacing.length > 0 ? spacing[0] : null, spacing.length > 1 ? spacing[1] : null,
                d.number("SliceThickness"), bitsAllocated, bitsStored, pixelRepresentation,
                slope, intercept, hu.appliedIntercept(), hu.interceptFixed(),
                wc.length > 0 ? wc[0] : null, ww.length > 0 ? ww[0] : null,
                modality, d.string("Manufacturer"), d.string("ManufacturerModelName"), d.number("KVP"),
                d.number("XRayTubeCurrent"), d.number("Exposure"), d.string("ConvolutionKernel"),
                d.string("PhotometricInterpretation"), d.transferSyntaxUid(), d.string("SoftwareVersions"),
                HeaderJson.deidentified(d), brain, brain < params.emptyThreshold(), tensor, params.windows().size(),
                params.size(), new SliceRecord.Originals(sop, series, study, patientId, d.string("AccessionNumber")));
    }

    /**
     * Everything the header decides, in the order a reader of the quarantine table expects the first reason found:
     * is it DICOM, is it CT, has it an image, whose is it, is it an axial slice, of a size and bit depth ich decodes.
     * Runs on the header alone, before any pixel is read, and again on a decoded object.
     */
    static void checkHeader(DicomObject d, boolean hasPixelData, String name) throws DicomReadException {
        require(d, "SOPInstanceUID", hasPixelData, name);
        String modality = d.string("Modality");
        String sopClass = d.string("SOPClassUID");
        if (!"CT".equals(modality) && !CT_IMAGE_STORAGE.equals(sopClass) && !ENHANCED_CT.equals(sopClass)) {
            throw new DicomReadException(QuarantineReason.NOT_CT, name + ": modality " + modality + " is not CT");
        }
        if (!hasPixelData) throw new DicomReadException(QuarantineReason.NO_PIXEL_DATA, name + ": no PixelData element");
        // Filed under "unknown", slices of unrelated patients or series would be merged into one (and share a split).
        for (String identifier : new String[]{"PatientID", "StudyInstanceUID", "SeriesInstanceUID"}) {
            String v = d.string(identifier);
            if (v == null || v.isBlank()) {
                throw new DicomReadException(QuarantineReason.MISSING_IDENTIFIER, name + ": " + identifier + " is missing");
            }
        }
        DicomElement imageType = d.element("ImageType");
        if (imageType != null && imageType.values().stream().anyMatch(v -> v.trim().equalsIgnoreCase("LOCALIZER"))) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_IMAGE,
                    name + ": ImageType " + String.join("\\", imageType.values()) + " is a localizer (scout), not an axial slice");
        }
        int rows = requireInt(d, "Rows", name), cols = requireInt(d, "Columns", name);
        // In long: 65535 x 65535 overflows an int and would pass as a negative pixel count.
        if ((long) rows * cols > MAX_PIXELS) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_IMAGE,
                    name + ": a " + rows + "x" + cols + " image is larger than the 8192x8192 pixels ich decodes");
        }
        Integer frames = d.integer("NumberOfFrames");
        Integer samples = d.integer("SamplesPerPixel");
        if ((frames != null && frames > 1) || (samples != null && samples != 1)) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_IMAGE,
                    name + ": " + (frames != null && frames > 1 ? frames + " frames" : samples + " samples per pixel")
                            + "; ich needs single-frame monochrome axial slices");
        }
        String photometric = d.string("PhotometricInterpretation");
        if (photometric != null && !photometric.equals("MONOCHROME1") && !photometric.equals("MONOCHROME2")) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_IMAGE,
                    name + ": PhotometricInterpretation " + photometric + "; ich needs MONOCHROME1 or MONOCHROME2");
        }
        int bitsAllocated = bitsAllocated(d);
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_IMAGE, name + ": BitsAllocated " + bitsAllocated + "; ich reads 8 or 16");
        }
        int bitsStored = bitsStored(d);
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_IMAGE,
                    name + ": BitsStored " + bitsStored + " with BitsAllocated " + bitsAllocated);
        }
    }

    /**
     * The slice in HU as {@link #decode} computes it (the bad-intercept fix included, the same defaults for absent
     * tags), for checks that put something of the pixel grid on the tensor's grid (heatmaps against blood masks).
     */
    public static HuImage hu(DicomObject d) {
        return Rescale.toHu(d.pixels(), d.integer("Rows"), d.integer("Columns"), bitsStored(d), pixelRepresentation(d),
                slope(d), intercept(d));
    }

    private static int bitsAllocated(DicomObject d) {
        return d.integer("BitsAllocated") == null ? 16 : d.integer("BitsAllocated");
    }

    private static int bitsStored(DicomObject d) {
        return d.integer("BitsStored") == null ? bitsAllocated(d) : d.integer("BitsStored");
    }

    private static int pixelRepresentation(DicomObject d) {
        return d.integer("PixelRepresentation") == null ? 0 : d.integer("PixelRepresentation");
    }

    private static double slope(DicomObject d) {
        return d.number("RescaleSlope") == null ? 1.0 : d.number("RescaleSlope");
    }

    private static double intercept(DicomObject d) {
        return d.number("RescaleIntercept") == null ? 0.0 : d.number("RescaleIntercept");
    }

    /**
     * The square of the slice the tensor shows: what {@link org.ich.pixel.MaskTensor} needs to put a pixel-grid
     * mask on the tensor's grid the way this decoder puts the slice's pixels.
     */
    public static CropBox cropBox(HuImage hu, PixelParams params) {
        return CropBox.find(hu, params.headThresholdHu(), params.cropMargin());
    }

    /** Position along the slice normal (IPP projected on row x column direction), which orders a series. */
    static Double zPosition(DicomObject d) {
        double[] ipp = d.numbers("ImagePositionPatient");
        if (ipp.length != 3) return d.number("SliceLocation");
        double[] iop = d.numbers("ImageOrientationPatient");
        if (iop.length != 6) return ipp[2];
        double nx = iop[1] * iop[5] - iop[2] * iop[4];
        double ny = iop[2] * iop[3] - iop[0] * iop[5];
        double nz = iop[0] * iop[4] - iop[1] * iop[3];
        return ipp[0] * nx + ipp[1] * ny + ipp[2] * nz;
    }

    private static String require(DicomObject d, String keyword, boolean hasPixelData, String name) throws DicomReadException {
        String v = d.string(keyword);
        if (v == null) {
            boolean looksLikeDicom = d.string("SOPClassUID") != null || d.string("Modality") != null || hasPixelData;
            throw new DicomReadException(looksLikeDicom ? QuarantineReason.MISSING_ATTRIBUTE : QuarantineReason.NOT_DICOM,
                    name + (looksLikeDicom ? ": " + keyword + " is missing" : ": no DICOM attributes found"));
        }
        return v;
    }

    private static int requireInt(DicomObject d, String keyword, String name) throws DicomReadException {
        Integer v = d.integer(keyword);
        if (v == null || v <= 0) throw new DicomReadException(QuarantineReason.MISSING_ATTRIBUTE, name + ": " + keyword + " is missing or not positive");
        return v;
    }
}
