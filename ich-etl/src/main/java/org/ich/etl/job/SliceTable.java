package org.ich.etl.job;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.domain.Labels;
import org.ich.etl.SliceRecord;

/** Schema of the {@code slices} table (the contract training, scoring and analysts rely on) and row building. */
public final class SliceTable {
    public static final String NAME = "slices";
    /** The key of a slice in every analyst table: a pseudonym of its SOPInstanceUID, never the UID itself. */
    public static final String KEY = "slice_key";
    public static final List<String> LABELS = Labels.NAMES;

    private static final List<StructField> FIELDS = new ArrayList<>();
    public static final StructType SCHEMA;

    static {
        f(KEY, DataTypes.StringType, false, "HMAC-SHA256 pseudonym of SOPInstanceUID: one row per instance, the key of a slice in every table");
        f("patient_key", DataTypes.StringType, false, "HMAC-SHA256 pseudonym of PatientID");
        f("study_key", DataTypes.StringType, false, "HMAC-SHA256 pseudonym of StudyInstanceUID");
        f("series_key", DataTypes.StringType, false, "HMAC-SHA256 pseudonym of SeriesInstanceUID");
        f("slice_index", DataTypes.IntegerType, true, "0-based position in its series, ordered by z_position");
        f("z_position", DataTypes.DoubleType, true, "ImagePositionPatient projected on the slice normal, mm");
        f("instance_number", DataTypes.IntegerType, true, "DICOM InstanceNumber");
        f("rows", DataTypes.IntegerType, false, "DICOM Rows");
        f("columns", DataTypes.IntegerType, false, "DICOM Columns");
        f("pixel_spacing_row", DataTypes.DoubleType, true, "PixelSpacing[0], mm");
        f("pixel_spacing_col", DataTypes.DoubleType, true, "PixelSpacing[1], mm");
        f("slice_thickness", DataTypes.DoubleType, true, "SliceThickness, mm");
        f("bits_allocated", DataTypes.IntegerType, false, "BitsAllocated");
        f("bits_stored", DataTypes.IntegerType, false, "BitsStored");
        f("pixel_representation", DataTypes.IntegerType, false, "PixelRepresentation (0 unsigned, 1 signed)");
        f("rescale_slope", DataTypes.DoubleType, false, "RescaleSlope as stored");
        f("rescale_intercept", DataTypes.DoubleType, false, "RescaleIntercept as stored");
        f("applied_intercept", DataTypes.DoubleType, false, "intercept used for HU (-1000 when the bad-intercept fix applied)");
        f("intercept_fixed", DataTypes.BooleanType, false, "pixels rewritten by the BitsStored-12 intercept fix");
        f("window_center", DataTypes.DoubleType, true, "first WindowCenter value");
        f("window_width", DataTypes.DoubleType, true, "first WindowWidth value");
        f("modality", DataTypes.StringType, true, "Modality");
        f("manufacturer", DataTypes.StringType, true, "Manufacturer");
        f("manufacturer_model", DataTypes.StringType, true, "ManufacturerModelName");
        f("kvp", DataTypes.DoubleType, true, "KVP");
        f("xray_tube_current", DataTypes.DoubleType, true, "XRayTubeCurrent, mA");
        f("exposure", DataTypes.DoubleType, true, "Exposure, mAs");
        f("convolution_kernel", DataTypes.StringType, true, "ConvolutionKernel");
        f("photometric_interpretation", DataTypes.StringType, true, "PhotometricInterpretation");
        f("transfer_syntax", DataTypes.StringType, true, "TransferSyntaxUID of the file");
        f("software_versions", DataTypes.StringType, true, "SoftwareVersions (\"ich synth\" marks synthetic data)");
        f("header_json", DataTypes.StringType, false, "coded and numeric header attributes as JSON: no UIDs, text, names or dates");
        f("file_key", DataTypes.StringType, false, "HMAC-SHA256 pseudonym of the file's URI (the path is in the crosswalk only)");
        f("file_size", DataTypes.LongType, false, "file size in bytes");
        f("content_hash", DataTypes.StringType, false, "HMAC-SHA256 pseudonym of the file's SHA-256: equal for identical files");
        f("brain_fraction", DataTypes.DoubleType, false, "share of pixels with 0 < HU < 80");
        f("is_empty", DataTypes.BooleanType, false, "brain_fraction below ich.etl.empty-threshold");
        for (String l : LABELS) f("label_" + l, DataTypes.IntegerType, true, "RSNA label " + l + " (0/1), null without labels");
        f("split", DataTypes.StringType, false, "train/valid/test, assigned per patient");
        f("tensor", DataTypes.BinaryType, false, "uint8 CHW window stack; see table properties ich.tensor.*");
        f("tensor_channels", DataTypes.IntegerType, false, "C of the tensor");
        f("tensor_size", DataTypes.IntegerType, false, "S of the tensor (S x S per channel)");
        f("ingested_at", DataTypes.TimestampType, false, "when the ETL run that added the row started");
        f("file_modified", DataTypes.TimestampType, true, "the file's modification time when read; a newer one makes the ETL read it again");
        SCHEMA = new StructType(FIELDS.toArray(StructField[]::new));
    }

    private SliceTable() {}

    private static void f(String name, DataType type, boolean nullable, String comment) {
        FIELDS.add(new StructField(name, type, nullable, Metadata.empty()).withComment(comment));
    }

    public static List<String> labelColumns() {
        return Labels.LABEL_COLUMNS;
    }

    /** A row with labels and slice_index still null (the job joins and ranks afterwards). */
    public static Row toRow(SliceRecord s, String fileKey, long fileSize, String contentHash, String split, Timestamp ingestedAt,
                            Timestamp fileModified) {
        return RowFactory.create(s.sliceKey(), s.patientKey(), s.studyKey(), s.seriesKey(), null, s.zPosition(),
                s.instanceNumber(), s.rows(), s.columns(), s.pixelSpacingRow(), s.pixelSpacingColumn(), s.sliceThickness(),
                s.bitsAllocated(), s.bitsStored(), s.pixelRepresentation(), s.rescaleSlope(), s.rescaleIntercept(),
                s.appliedIntercept(), s.interceptFixed(), s.windowCenter(), s.windowWidth(), s.modality(), s.manufacturer(),
                s.manufacturerModel(), s.kvp(), s.xrayTubeCurrent(), s.exposure(), s.convolutionKernel(),
                s.photometricInterpretation(), s.transferSyntax(), s.softwareVersions(), s.headerJson(), fileKey, fileSize, contentHash,
                s.brainFraction(), s.isEmpty(), null, null, null, null, null, null, split, s.tensor(), s.tensorChannels(),
                s.tensorSize(), ingestedAt, fileModified);
    }
}
