package org.ich.synth;

import org.ich.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCommandTest {

    @Test
    void writesACohortFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("dicom"), labels = dir.resolve("labels.csv");
        String[] args = {"--patients", "2", "--out", out.toString(), "ich.synth.matrix=128", "ich.synth.min-slices=8",
                "ich.synth.max-slices=10", "ich.synth.labels=" + labels};
        assertEquals(0, Main.executeOne(new SynthCommand(), args));
        long files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(Files::isRegularFile).count();
        }
        assertTrue(files >= 16 && files <= 20, files + " files");
        assertEquals(1 + 6 * files + 5, Files.readAllLines(labels).size());

        // A second run must not mix a new cohort into the old one...
        assertEquals(2, Main.executeOne(new SynthCommand(), args));
        // ...unless asked to replace it.
        String[] replace = java.util.Arrays.copyOf(args, args.length + 1);
        replace[args.length] = "ich.synth.replace=true";
        assertEquals(0, Main.executeOne(new SynthCommand(), replace));
    }

    @Test
    void optionsBecomeOverridesOfTheSynthKeys() {
        SynthCommand c = new SynthCommand();
        c.out = "s3a://bucket/dicom";
        c.seed = 7L;
        assertEquals(java.util.List.of("ich.synth.seed=7", "ich.synth.out=\"s3a://bucket/dicom\""), c.optionOverrides());
    }
}
