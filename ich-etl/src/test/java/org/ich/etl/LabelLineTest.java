package org.ich.etl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LabelLineTest {

    private static String problem(String line) {
        LabelLine parsed = LabelLine.parse(line);
        assertInstanceOf(LabelLine.Bad.class, parsed, line);
        return ((LabelLine.Bad) parsed).problem();
    }

    @Test
    void goodRowsParseWithWhitespaceCrlfAndQuotes() {
        LabelLine.Label expected = new LabelLine.Label("12cadc6af", "epidural", 1);
        assertEquals(expected, LabelLine.parse("ID_12cadc6af_epidural,1"));
        assertEquals(expected, LabelLine.parse("ID_12cadc6af_epidural,1\r"));
        assertEquals(expected, LabelLine.parse("  ID_12cadc6af_epidural , 1 "));
        assertEquals(expected, LabelLine.parse("\"ID_12cadc6af_epidural\",\"1\"\r"));
        assertEquals(expected, LabelLine.parse(" \"ID_12cadc6af_epidural\" ,\t\"1\" "));
        assertEquals(new LabelLine.Label("1.2.826.0.1.3", "any", 0), LabelLine.parse("ID_1.2.826.0.1.3_any,0"));
        // The join key is the one LabelId gives, so slice keys match those of the DICOM files.
        assertEquals(LabelId.parse("ID_ID_abc_subdural").sopKey(), ((LabelLine.Label) LabelLine.parse("ID_ID_abc_subdural,0")).sopKey());
    }

    @Test
    void eachProblemIsNamedWithoutTheId() {
        assertEquals("3 fields, expected 2", problem("ID_12cadc6af_any,1,0"));
        assertEquals("1 field, expected 2", problem("ID_12cadc6af_any"));
        assertEquals("1 field, expected 2", problem("ID_12cadc6af_any;1"));
        assertEquals("3 fields, expected 2", problem("\"ID_12cadc6af_any\",1,\"a,b\""));
        assertEquals("double quotes do not pair up", problem("\"ID_12cadc6af_any,1"));
        assertEquals("double quotes do not pair up", problem("\"ID_12cadc6af_any\"x,1"));
        assertEquals("double quotes do not pair up", problem("ID_12c\"adc6af_any,1"));
        for (String id : new String[] {"12cadc6af_any", "ID_12cadc6af", "ID__any", "ID_12cadc6af_", "ID_12 cadc6af_any", "id_12cadc6af_any", ""}) {
            assertEquals("ID is not ID_<SOPInstanceUID>_<label>", problem(id + ",1"), id);
        }
        assertEquals("unknown label \"epidurall\"", problem("ID_12cadc6af_epidurall,1"));
        assertEquals("unknown label \"Any\"", problem("ID_12cadc6af_Any,1"));
        assertEquals("label value \"2\" is not 0 or 1", problem("ID_12cadc6af_any,2"));
        assertEquals("label value \"x\" is not 0 or 1", problem("ID_12cadc6af_any,x"));
        assertEquals("label value \"1.0\" is not 0 or 1", problem("ID_12cadc6af_any,1.0"));
        assertEquals("label value \"-1\" is not 0 or 1", problem("ID_12cadc6af_any,\"-1\""));
        assertEquals("label value is empty", problem("ID_12cadc6af_any,"));
    }

    @Test
    void textThatCouldBeAUidIsNeverQuoted() {
        // An ID that lost its label: the UID's tail would be the "label".
        assertEquals("unknown label of 9 characters", problem("ID_abc_12cadc6af,1"));
        assertEquals("unknown label of 6 characters", problem("ID_1.2.3_abcdef,1"));
        assertEquals("unknown label of 10 characters", problem("ID_1.2.3_1.2.840.99,1"));
        // Columns swapped, or an ID where the value belongs.
        assertEquals("label value of 21 characters is not 0 or 1", problem("ID_12cadc6af_any,ID_12cadc6af_epidural"));
        assertEquals("label value of 5 characters is not 0 or 1", problem("ID_12cadc6af_any,1.2.3"));
        assertEquals("label value of 3 characters is not 0 or 1", problem("ID_12cadc6af_any,ID_"));
        for (String line : new String[] {"ID_12cadc6af_any,12cadc6af", "ID_12cadc6af_any,1,0", "ID_12cadc6af_x,1", "12cadc6af,1"}) {
            assertFalse(problem(line).contains("12cadc6af"), line);
        }
    }

    @Test
    void blankLinesAreNeitherDataNorErrors() {
        assertEquals(new LabelLine.Blank(), LabelLine.parse(""));
        assertEquals(new LabelLine.Blank(), LabelLine.parse("  \t\r"));
        assertEquals("ID is not ID_<SOPInstanceUID>_<label>", problem(","));
    }

    @Test
    void theHeaderIsIdLabelWithOrWithoutAByteOrderMark() {
        assertTrue(LabelLine.isHeader("ID,Label"));
        assertTrue(LabelLine.isHeader("ID,Label\r"));
        assertTrue(LabelLine.isHeader("\uFEFFID,Label"));
        assertTrue(LabelLine.isHeader("\"ID\", \"Label\""));
        assertFalse(LabelLine.isHeader("ID_12cadc6af_any,1"));
        assertFalse(LabelLine.isHeader("ID,Label,Extra"));
        assertFalse(LabelLine.isHeader("Image,Label"));
        assertFalse(LabelLine.isHeader(""));
    }
}
