package org.ich.etl;

import org.ich.cli.UserError;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LabelAuditTest {
    static final List<LabelAudit.BadLine> FIRST = List.of(new LabelAudit.BadLine(9, "3 fields, expected 2"),
            new LabelAudit.BadLine(17, "label value \"2\" is not 0 or 1"));

    private static String printed(LabelAudit audit, double share) {
        var buffer = new ByteArrayOutputStream();
        audit.enforce("file:/data/labels.csv", share, new PrintStream(buffer, true));
        return buffer.toString();
    }

    @Test
    void aCleanFilePassesSilently() {
        assertEquals("", printed(new LabelAudit(1000, 0, List.of()), 0));
        assertEquals("", printed(new LabelAudit(0, 0, List.of()), 0), "a header-only file holds no labels, and no errors");
        assertEquals(0, new LabelAudit(0, 0, List.of()).badShare());
    }

    @Test
    void badRowsWithinTheShareAreSkippedWithAWarning() {
        String warning = printed(new LabelAudit(1000, 2, FIRST), 0.002);
        assertTrue(warning.startsWith("etl: warning: 2 of 1000 rows of the label CSV file:/data/labels.csv are bad (0.20%)"), warning);
        assertTrue(warning.contains("line 9: 3 fields, expected 2; line 17: label value \"2\" is not 0 or 1"), warning);
        assertTrue(warning.contains("ich.etl.labels-max-bad-share = 0.002"), warning);
        assertFalse(warning.contains("the first"), "all bad lines are shown: " + warning);
        assertTrue(printed(new LabelAudit(4_500_000, 3, FIRST), 0.001).contains("(under 0.01%)"));
    }

    @Test
    void moreBadRowsThanTheShareStopTheRunNamingTheSetting() {
        LabelAudit audit = new LabelAudit(1000, 12, FIRST);
        assertTrue(audit.exceeds(0.011));
        assertFalse(audit.exceeds(0.012), "at the share exactly is still within it");
        UserError e = assertThrows(UserError.class, () -> printed(audit, 0.001));
        assertTrue(e.getMessage().startsWith("ich.etl.labels: 12 of 1000 rows of the label CSV file:/data/labels.csv are bad (1.20%),"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the first 2: line 9: 3 fields, expected 2; line 17: label value \"2\" is not 0 or 1"),
                e.getMessage());
        assertTrue(e.getMessage().contains("raise ich.etl.labels-max-bad-share"), e.getMessage());
        assertThrows(UserError.class, () -> printed(new LabelAudit(4_500_000, 1, FIRST.subList(0, 1)), 0), "share 0: none may be bad");
        assertTrue(printed(new LabelAudit(10, 10, FIRST), 1).startsWith("etl: warning: 10 of 10 rows"), "share 1: never stops");
    }
}
