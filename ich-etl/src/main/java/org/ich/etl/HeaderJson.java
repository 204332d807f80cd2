package org.ich.etl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ich.dicom.DicomElement;
import org.ich.dicom.DicomObject;

import java.util.Set;

/**
 * The DICOM header as JSON with protected health information removed. Free text can hold anything (a name typed
 * into a comment), so text attributes are dropped unless known to be technical; names, dates and times are always
 * dropped, as are private tags and the study/series UIDs that would link a row back to the source archive.
 */
public final class HeaderJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ALWAYS_DROPPED_VRS = Set.of("PN", "DA", "DT", "TM", "SQ", "OB", "OW", "OF", "OD", "OL", "OV", "UN");
    private static final Set<String> FREE_TEXT_VRS = Set.of("LO", "SH", "LT", "ST", "UT", "UC", "AE", "UR", "AS");
    /** Text attributes that describe the machine or the acquisition, never the person. */
    private static final Set<String> TECHNICAL_TEXT = Set.of(
            "Manufacturer", "ManufacturerModelName", "SoftwareVersions", "ConvolutionKernel", "BodyPartExamined",
            "PatientPosition", "FilterType", "RotationDirection", "ScanOptions", "ProtocolName", "ContrastBolusAgent",
            "SpecificCharacterSet", "ImplementationVersionName", "FocalSpots", "AcquisitionType");
    /** Identifiers kept out even though their VR would pass. */
    private static final Set<String> IDENTIFIERS = Set.of(
            "StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID", "PatientID", "AccessionNumber", "StudyID",
            "OtherPatientIDs", "IssuerOfPatientID", "DeviceSerialNumber", "StationName", "InstitutionName",
            "InstitutionAddress", "PatientAge", "PatientSex", "PatientSize", "PatientWeight", "PatientAddress",
            "RequestedProcedureID", "PerformedProcedureStepID", "ScheduledProcedureStepID", "UID", "IrradiationEventUID",
            "ReferencedSOPInstanceUID", "StorageMediaFileSetUID", "DimensionOrganizationUID", "ConcatenationUID",
            "SourceApplicationEntityTitle", "SendingApplicationEntityTitle", "ReceivingApplicationEntityTitle");

    private HeaderJson() {}

    public static boolean kept(DicomElement e) {
        if (e.isPrivate() || e.keyword().indexOf(',') >= 0) return false;
        if (ALWAYS_DROPPED_VRS.contains(e.vr()) || IDENTIFIERS.contains(e.keyword())) return false;
        return !FREE_TEXT_VRS.contains(e.vr()) || TECHNICAL_TEXT.contains(e.keyword());
    }

    public static String deidentified(DicomObject dicom) {
        ObjectNode root = JSON.createObjectNode();
        for (DicomElement e : dicom.elements()) {
            if (!kept(e) || e.values().isEmpty()) continue;
            if (e.values().size() == 1) {
                root.put(e.keyword(), e.values().get(0).trim());
            } else {
                ArrayNode a = root.putArray(e.keyword());
                e.values().forEach(v -> a.add(v.trim()));
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
