package org.ich.etl.job;

import org.ich.etl.PathScrub;
import org.ich.etl.RetryPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TaskAttemptsTest {
    @Test
    void theLastTaskAttemptFollowsTheMaster() {
        assertEquals(1, TaskAttempts.of("local[2]", 4), "local mode runs a task once");
        assertEquals(1, TaskAttempts.of("local[*]", 4));
        assertEquals(3, TaskAttempts.of("local[2,3]", 4));
        assertEquals(2, TaskAttempts.of("local[*, 2]", 4));
        assertEquals(4, TaskAttempts.of("spark://127.0.0.1:7077", 4));
        assertEquals(8, TaskAttempts.of("yarn", 8));
    }

    @Test
    void readsBackOffDoubling() {
        RetryPolicy p = new RetryPolicy(4, 100, 3, false);
        assertEquals(0, p.pauseBefore(1));
        assertEquals(100, p.pauseBefore(2));
        assertEquals(200, p.pauseBefore(3));
        assertEquals(400, p.pauseBefore(4));
    }

    @Test
    void anObjectKeyIsCutOutLikeItsPath() {
        String uri = "s3a://ich-raw/dicom/patient-00007/a.dcm";
        assertEquals("GET <file>: 503 on <file>, <file>", PathScrub.scrub("GET " + uri + ": 503 on /dicom/patient-00007/a.dcm, "
                + "dicom/patient-00007/a.dcm", uri, "<file>"));
    }
}
