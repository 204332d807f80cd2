package org.ich.etl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ich.dicom.DicomElement;
import org.ich.dicom.DicomObject;
import org.ich.dicom.PixelMedDicom;

import java.util.List;
import java.util.Set;

/**
 * The DICOM header as JSON with protected health information removed, by allow-list of value representations:
 * only coded strings (CS) and numbers pass. Everything else is dropped: UIDs (they embed dates, device serials and
 * site roots, and link a row back to the archive), all text (a name typed into ProtocolName or a comment), names,
 * dates and times, sequences, binary values and private tags. The few text attributes analysts need about the
 * device are typed columns of the slices table instead (manufacturer, model, kernel, software versions).
 */
public final class HeaderJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Coded strings and numbers: the only value representations that cannot hold free text or an identifier. */
    private static final Set<String> KEPT_VRS = Set.of("CS", "DS", "IS", "US", "SS", "UL", "SL", "UV", "SV", "FL", "FD");
    /** Coded or numeric attributes that still describe the person, not the acquisition. */
    private static final Set<String> PERSONAL = Set.of("PatientSex", "PatientAge", "PatientSize", "PatientWeight",
            "EthnicGroup", "PatientSexNeutered", "PatientBreedDescription", "SmokingStatus", "PregnancyStatus",
            "LastMenstrualDate", "PatientState", "ResponsiblePersonRole", "QualityControlSubject");

    private HeaderJson() {}

    public static boolean kept(DicomElement e) {
        if (e.isPrivate() || e.keyword().indexOf(',') >= 0) return false;
        return KEPT_VRS.contains(e.vr()) && !PERSONAL.contains(e.keyword());
    }

    /**
     * An older header_json (from before the PHI boundary) cut down to what {@link #deidentified} keeps today, the
     * value representations taken from the standard dictionary (an unknown keyword is dropped).
     */
    public static String deidentified(String json) {
        try {
            ObjectNode in = (ObjectNode) JSON.readTree(json), out = JSON.createObjectNode();
            in.fields().forEachRemaining(f -> {
                String vr = PixelMedDicom.valueRepresentation(f.getKey());
                if (vr != null && kept(new DicomElement(f.getKey(), vr, List.of()))) out.set(f.getKey(), f.getValue());
            });
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException | ClassCastException e) {
            return "{}";
        }
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
