package org.ich.synth;

import org.apache.hadoop.conf.Configuration;
import org.ich.config.IchConf;
import org.ich.config.Settings;
import org.ich.dicom.DicomObject;
import org.ich.dicom.DicomReadException;
import org.ich.dicom.PixelMedDicom;
import org.ich.spark.Storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Small cohorts written to a temp folder, configured the way users do it: HOCON overrides on the defaults. */
final class SynthFixture {
    /** Small but complete: every quirk switched on, 128-pixel matrix, short series. */
    static final List<String> SMALL = List.of("ich.synth.matrix=128", "ich.synth.min-slices=10", "ich.synth.max-slices=14");

    private SynthFixture() {}

    static SynthConfig config(Path dir, String... overrides) {
        List<String> all = new ArrayList<>(SMALL);
        all.add("ich.synth.out=\"" + dir.resolve("dicom").toUri() + "\"");
        all.add("ich.synth.labels=\"" + dir.resolve("labels.csv").toUri() + "\"");
        all.addAll(List.of(overrides));
        return SynthConfig.from(new Settings(IchConf.load(null, all), Map.of()));
    }

    static Written write(SynthConfig config) throws IOException {
        Cohort cohort = Cohort.plan(config);
        List<String> log = new ArrayList<>();
        SynthSummary summary = new CohortWriter(new Storage(new Configuration()), log::add).write(cohort);
        return new Written(cohort, summary, Path.of(config.out()), Path.of(config.labels()), log);
    }

    record Written(Cohort cohort, SynthSummary summary, Path out, Path labels, List<String> log) {
        Path file(PatientPlan p, int slice) {
            return out.resolve(p.relativePath(slice));
        }

        DicomObject read(PatientPlan p, int slice) throws IOException, DicomReadException {
            Path f = file(p, slice);
            return PixelMedDicom.read(Files.readAllBytes(f), f.toString());
        }

        List<Path> files() throws IOException {
            try (Stream<Path> s = Files.walk(out)) {
                return s.filter(Files::isRegularFile).sorted().toList();
            }
        }

        List<String> labelLines() throws IOException {
            return Files.readAllLines(labels);
        }
    }

    /** HU as the header says to compute them, with the RSNA fix for the bad-intercept group. */
    static short[] decodeHu(DicomObject d) {
        short[] stored = d.pixels();
        boolean signed = d.integer("PixelRepresentation") == 1;
        double intercept = d.number("RescaleIntercept"), slope = d.number("RescaleSlope");
        boolean badIntercept = d.integer("BitsStored") == 12 && !signed && intercept > -100;
        short[] hu = new short[stored.length];
        for (int i = 0; i < stored.length; i++) {
            int raw = signed ? stored[i] : stored[i] & 0xFFFF;
            int v = (int) Math.round(raw * slope + intercept);
            if (badIntercept) v = Math.floorMod(v + 1000, 4096) - 1000;
            hu[i] = (short) v;
        }
        return hu;
    }
}
