package org.ich.etl.job;

import java.util.Map;

/** What one ETL run did; printed at the end and returned to callers such as the nightly pipeline. */
public record EtlSummary(long listed, long alreadyKnown, long newSlices, long newQuarantined,
                         Map<String, Long> quarantinedByReason, long slicesTotal, long quarantineTotal, double decodeSeconds,
                         double seconds) {
    @Override
    public String toString() {
        return String.format("etl: listed %d files, %d already in the tables, %d new slices, %d new quarantined %s;"
                        + " tables now hold %d slices + %d quarantined; %.1f s (decoding %.1f s)",
                listed, alreadyKnown, newSlices, newQuarantined, quarantinedByReason, slicesTotal, quarantineTotal, seconds,
                decodeSeconds);
    }
}
