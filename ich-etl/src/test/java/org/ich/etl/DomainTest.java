package org.ich.etl;

import org.ich.dicom.DicomElement;
import org.ich.dicom.DicomObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DomainTest {
    @Test
    void splitIsPerPatientStableAndNearTheFractions() {
        SplitPolicy p = new SplitPolicy(0.8, 0.1, 0.1, "s1");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20000; i++) counts.merge(p.assign("patient-" + i), 1, Integer::sum);
        assertEquals(0.8, counts.get("train") / 20000.0, 0.02);
        assertEquals(0.1, counts.get("valid") / 20000.0, 0.02);
        assertEquals(0.1, counts.get("test") / 20000.0, 0.02);
        assertEquals(p.assign("patient-7"), new SplitPolicy(0.8, 0.1, 0.1, "s1").assign("patient-7"));
        long moved = java.util.stream.IntStream.range(0, 1000)
                .filter(i -> !p.assign("p" + i).equals(new SplitPolicy(0.8, 0.1, 0.1, "s2").assign("p" + i))).count();
        assertTrue(moved > 100, "another salt draws another split");
        assertThrows(IllegalArgumentException.class, () -> new SplitPolicy(0.5, 0.1, 0.1, "x"));
    }

    @Test
    void labelIdsParseRsnaAndPlainUids() {
        assertEquals(new LabelId("12cadc6af", "epidural"), LabelId.parse("ID_12cadc6af_epidural"));
        assertEquals(new LabelId("1.2.826.0.1.3", "any"), LabelId.parse("ID_1.2.826.0.1.3_any"));
        assertEquals("12cadc6af", LabelId.sopKey("ID_12cadc6af"));
        assertEquals("1.2.3", LabelId.sopKey("1.2.3"));
        assertNull(LabelId.parse("garbage"));
        assertNull(LabelId.parse("ID_x_"));
    }

    @Test
    void pseudonymsAreKeyedAndDomainSeparated() {
        Pseudonyms a = new Pseudonyms("0123456789abcdef-key-a".getBytes());
        Pseudonyms b = new Pseudonyms("0123456789abcdef-key-b".getBytes());
        assertEquals(32, a.patient("PID-1").length());
        assertEquals(a.patient("PID-1"), a.patient("PID-1"));
        assertNotEquals(a.patient("PID-1"), b.patient("PID-1"));
        assertNotEquals(a.patient("1.2.3"), a.study("1.2.3"));
        assertFalse(a.patient("PID-1").contains("PID"));
    }

    @Test
    void headerJsonDropsIdentifiersNamesDatesAndFreeText() {
        DicomObject d = new DicomObject("1.2.840.10008.1.2.1", List.of(
                DicomElement.of("PatientName", "PN", "Doe^Jane"),
                DicomElement.of("PatientID", "LO", "PID-42"),
                DicomElement.of("PatientBirthDate", "DA", "19600101"),
                DicomElement.of("AccessionNumber", "SH", "ACC123"),
                DicomElement.of("InstitutionName", "LO", "General Hospital"),
                DicomElement.of("StudyDescription", "LO", "CT head for Jane Doe"),
                DicomElement.of("StudyInstanceUID", "UI", "1.2.3.4"),
                DicomElement.of("0009,0010", "LO", "PRIVATE CREATOR"),
                DicomElement.of("Manufacturer", "LO", "SYNTHETIC"),
                DicomElement.of("KVP", "DS", "120"),
                DicomElement.of("ImageType", "CS", "ORIGINAL", "PRIMARY", "AXIAL"),
                DicomElement.of("ProtocolName", "LO", "HEAD Jane Doe"),
                DicomElement.of("PatientSex", "CS", "F"),
                DicomElement.of("SOPInstanceUID", "UI", "1.2.3.4.5")), null);
        String json = HeaderJson.deidentified(d);
        for (String phi : List.of("Doe", "Jane", "PID-42", "19600101", "ACC123", "General Hospital", "1.2.3.4", "PRIVATE",
                "PatientSex", "SYNTHETIC", "ProtocolName")) {
            assertFalse(json.contains(phi), phi + " leaked into " + json);
        }
        assertTrue(json.contains("\"KVP\":\"120\""), json);
        assertTrue(json.contains("\"ImageType\":[\"ORIGINAL\",\"PRIMARY\",\"AXIAL\"]"), json);
    }

    @Test
    void anOlderHeaderJsonIsCutToWhatIsKeptToday() {
        String old = "{\"SOPInstanceUID\":\"1.2.3.4.5\",\"ProtocolName\":\"HEAD Jane Doe\",\"KVP\":\"120\","
                + "\"ImageType\":[\"ORIGINAL\",\"AXIAL\"],\"SoftwareVersions\":\"ich synth\",\"NotAKeyword\":\"x\"}";
        assertEquals("{\"KVP\":\"120\",\"ImageType\":[\"ORIGINAL\",\"AXIAL\"]}", HeaderJson.deidentified(old));
    }

    @Test
    void sliceKeysOfAFileAndOfTheLabelCsvAgree() {
        Pseudonyms p = new Pseudonyms("0123456789abcdef-key-a".getBytes());
        assertEquals(p.slice("ID_000039fa0"), p.slice(LabelId.parse("ID_000039fa0_any").sopKey()));
        assertNotEquals(p.slice("1.2.3"), p.series("1.2.3"));
        assertEquals(32, p.file("s3a://b/k.dcm").length());
        assertEquals(16, p.keyId().length());
        assertNotEquals(p.keyId(), new Pseudonyms("0123456789abcdef-key-b".getBytes()).keyId());
    }
}
