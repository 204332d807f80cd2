package org.ich.etl.job;

import org.ich.testing.ChildJvm;
import org.ich.testing.CtFixtures;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A file under the size cap that still does not fit in an executor's heap: the task fails and Spark runs it again;
 * the last attempt quarantines the file TOO_LARGE, and the run finishes with the other files ingested. In a child JVM
 * with a small heap, as an executor would have.
 */
class EtlMemoryTest {
    @Test
    void aFileLargerThanTheHeapFailsItsTaskThenIsQuarantinedTooLarge(@TempDir Path dir) throws Exception {
        Path input = Files.createDirectories(dir.resolve("dicom"));
        for (int i = 0; i < 3; i++) Files.write(input.resolve("slice-" + i + ".dcm"), CtFixtures.ct("2.25.80" + i));
        try (RandomAccessFile huge = new RandomAccessFile(input.resolve("huge.dcm").toFile(), "rw")) {
            huge.setLength(900L << 20); // sparse: costs no disk, reads as 900 MB of zeros
        }
        List<String> conf = new ArrayList<>(TestSettings.overrides(dir));
        // Two task attempts in local mode (local[N,F]); the cap above the file so only the heap stops it.
        conf.addAll(List.of("ich.spark.master=\"local[2,2]\"", "ich.etl.max-file-bytes=1G", "ich.etl.size=32"));
        List<String> etl = new ArrayList<>(List.of("etl", "--input", input.toUri().toString()));
        etl.addAll(conf);
        ChildJvm.Result run = ChildJvm.run(dir, Map.of(), "600m", etl);
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("task attempt 1 of 2"), "the first attempt failed its task:\n" + run.output());
        assertTrue(run.output().contains("3 new slices, 1 new quarantined {TOO_LARGE=1}"), run.output());

        List<String> sql = new ArrayList<>(List.of("sql", "--format", "csv", "SELECT reason, message FROM quarantine"));
        sql.addAll(conf);
        ChildJvm.Result q = ChildJvm.run(dir, Map.of(), sql);
        assertEquals(0, q.exitCode(), q.output());
        assertTrue(q.output().contains("TOO_LARGE") && q.output().contains("OutOfMemoryError on each of 2 task attempts"), q.output());
    }
}
