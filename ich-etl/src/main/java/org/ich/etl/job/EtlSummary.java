package org.ich.etl.job;

import java.util.Map;

/**
 * What one ETL run did; printed at the end and returned to callers such as the nightly pipeline.
 *
 * @param newWaiting        files this run could not read (storage failures), recorded in the waiting table
 * @param waitingGone       files that waited at the start and are no longer listed (deleted or moved at the source)
 * @param stuck             files in the waiting table that have waited {@code alertAfterRuns} runs or more
 * @param labelRows         data rows of the label CSV (0 without one); {@code badLabelRows} of them were skipped
 */
public record EtlSummary(long listed, long alreadyKnown, long newSlices, long newQuarantined,
                         Map<String, Long> quarantinedByReason, long newWaiting, long waitingGone, long slicesTotal,
                         long quarantineTotal, long waitingTotal, long stuck, int alertAfterRuns, long labelRows,
                         long badLabelRows, double decodeSeconds, double seconds) {
    @Override
    public String toString() {
        String s = String.format("etl: listed %d files, %d already in the tables, %d new slices, %d new quarantined %s,"
                        + " %d waiting for a retry; tables now hold %d slices + %d quarantined + %d waiting; %.1f s (decoding %.1f s)",
                listed, alreadyKnown, newSlices, newQuarantined, quarantinedByReason, newWaiting, slicesTotal, quarantineTotal,
                waitingTotal, seconds, decodeSeconds);
        if (badLabelRows > 0) s += String.format("%netl: %d of %d label rows skipped as malformed", badLabelRows, labelRows);
        if (waitingGone > 0) s += String.format("%netl: %d waiting files are no longer under the input and were dropped from waiting", waitingGone);
        if (stuck > 0) {
            s += String.format("%netl: WARNING %d file%s could not be read in %d or more runs in a row (ich.etl.retry.alert-after-runs);"
                    + " the waiting table has their last errors, ich etl --show-paths their paths", stuck, stuck == 1 ? "" : "s",
                    alertAfterRuns);
        }
        return s;
    }
}
