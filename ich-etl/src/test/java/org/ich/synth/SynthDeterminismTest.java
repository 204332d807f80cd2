package org.ich.synth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SynthDeterminismTest {

    @Test
    void sameSeedWritesIdenticalBytesWhateverTheThreadCount(@TempDir Path a, @TempDir Path b) throws Exception {
        SynthFixture.Written first = SynthFixture.write(SynthFixture.config(a, "ich.synth.patients=3", "ich.synth.threads=1"));
        SynthFixture.Written second = SynthFixture.write(SynthFixture.config(b, "ich.synth.patients=3", "ich.synth.threads=3"));

        List<Path> filesA = first.files(), filesB = second.files();
        assertEquals(filesA.stream().map(first.out()::relativize).toList(), filesB.stream().map(second.out()::relativize).toList());
        for (int i = 0; i < filesA.size(); i++) {
            assertArrayEquals(Files.readAllBytes(filesA.get(i)), Files.readAllBytes(filesB.get(i)), "bytes of " + filesA.get(i));
        }
        assertArrayEquals(Files.readAllBytes(first.labels()), Files.readAllBytes(second.labels()));
    }

    @Test
    void anotherSeedWritesAnotherCohort(@TempDir Path a, @TempDir Path b) throws Exception {
        SynthFixture.Written first = SynthFixture.write(SynthFixture.config(a, "ich.synth.patients=2", "ich.synth.seed=1"));
        SynthFixture.Written second = SynthFixture.write(SynthFixture.config(b, "ich.synth.patients=2", "ich.synth.seed=2"));

        PatientPlan p1 = first.cohort().patients().get(0), p2 = second.cohort().patients().get(0);
        assertNotEquals(p1.series().studyUid(), p2.series().studyUid());
        assertNotEquals(p1.phi(), p2.phi());
        assertFalse(Arrays.equals(Files.readAllBytes(first.file(p1, 3)), Files.readAllBytes(second.file(p2, 3))));
        assertFalse(Arrays.equals(Files.readAllBytes(first.labels()), Files.readAllBytes(second.labels())));
    }

    @Test
    void headersCarryNoWallClockTime(@TempDir Path dir) throws Exception {
        SynthFixture.Written w = SynthFixture.write(SynthFixture.config(dir, "ich.synth.patients=1"));
        PatientPlan p = w.cohort().patients().get(0);
        String today = java.time.LocalDate.now().format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        var d = w.read(p, 0);
        for (var e : d.elements()) {
            for (String v : e.values()) assertFalse(v.contains(today), e.keyword() + " holds today's date");
        }
        assertEquals(p.phi().studyDate(), d.string("StudyDate"));
        assertEquals(p.phi().studyTime(), d.string("StudyTime"));
    }
}
