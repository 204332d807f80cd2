package org.ich.synth;

import java.util.Locale;
import java.util.Map;

/** What a synth run wrote, for the final log line and for callers (tests, the benchmark) that check it. */
public record SynthSummary(int patients, long files, long bytes, long slices, long labelRows, int duplicateLabelRows,
                           int patientsWithBleeds, Map<BleedType, Integer> positiveSlices, Map<CtEncoding, Integer> encodings,
                           int implicitVrSeries, int multiWindowSeries, int oddMatrixSeries, double seconds) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%d patients, %d files (%.1f MB), %d label rows (%d duplicates) in %.1f s; %d patients with bleeds, positive slices %s;"
                        + " encodings %s, %d implicit VR, %d multi-window, %d odd matrix",
                patients, files, bytes / 1e6, labelRows, duplicateLabelRows, seconds, patientsWithBleeds, positiveSlices, encodings,
                implicitVrSeries, multiWindowSeries, oddMatrixSeries);
    }
}
