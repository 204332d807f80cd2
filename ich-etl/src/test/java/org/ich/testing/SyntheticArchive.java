package org.ich.testing;

import org.apache.hadoop.conf.Configuration;
import org.ich.config.Settings;
import org.ich.spark.Storage;
import org.ich.synth.Cohort;
import org.ich.synth.CohortWriter;
import org.ich.synth.SynthConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A synthetic cohort written as real DICOM files plus its label CSV, and the truth the tests compare against. */
public record SyntheticArchive(Cohort cohort, Path dicom, Path labels) {

    public static SyntheticArchive write(Path dir, int patients, String... overrides) throws IOException {
        String[] all = new String[overrides.length + 6];
        all[0] = "ich.synth.patients=" + patients;
        all[1] = "ich.synth.matrix=128";
        all[2] = "ich.synth.min-slices=8";
        all[3] = "ich.synth.max-slices=12";
        all[4] = "ich.synth.out=\"" + dir.resolve("dicom").toUri() + "\"";
        all[5] = "ich.synth.labels=\"" + dir.resolve("labels.csv").toUri() + "\"";
        System.arraycopy(overrides, 0, all, 6, overrides.length);
        Settings settings = TestSettings.under(dir, all);
        Cohort cohort = Cohort.plan(SynthConfig.from(settings));
        new CohortWriter(new Storage(new Configuration()), line -> { }).write(cohort);
        return new SyntheticArchive(cohort, dir.resolve("dicom"), dir.resolve("labels.csv"));
    }

    /** label name -> value per SOPInstanceUID, read back from the CSV (duplicates agree, so last wins). */
    public Map<String, Map<String, Integer>> truth() throws IOException {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        List<String> lines = Files.readAllLines(labels);
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(",");
            String id = parts[0];
            int cut = id.lastIndexOf('_');
            out.computeIfAbsent(id.substring(3, cut), k -> new HashMap<>()).put(id.substring(cut + 1), Integer.parseInt(parts[1].trim()));
        }
        return out;
    }

    public long fileCount() throws IOException {
        try (var files = Files.walk(dicom)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
