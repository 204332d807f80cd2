package org.ich.etl;

import org.ich.config.Settings;

import java.io.Serializable;

/**
 * What the ETL does when storage fails to deliver a file (settings {@code ich.etl.retry.*}). Such a file is not bad:
 * it is read again within the task, then by the next run, and only reported, never filed as quarantined.
 *
 * @param readAttempts   reads of one file within a task before it is recorded as waiting
 * @param backoffMillis  pause before the second read, doubled before each further one
 * @param alertAfterRuns a file still waiting after this many runs in a row is reported as stuck
 * @param failWhenStuck  whether a stuck file makes {@code ich etl} (and the pipeline) end with exit code 3
 */
public record RetryPolicy(int readAttempts, long backoffMillis, int alertAfterRuns, boolean failWhenStuck) implements Serializable {
    /** Exit code of a run that did its work but left files stuck waiting (with ich.etl.retry.fail-when-stuck). */
    public static final int STUCK_EXIT_CODE = 3;

    public static RetryPolicy from(Settings s) {
        return new RetryPolicy(s.integer("ich.etl.retry.read-attempts", 1, 100), s.longValue("ich.etl.retry.backoff-ms", 0, 600_000),
                s.integer("ich.etl.retry.alert-after-runs", 1, 1_000_000), s.bool("ich.etl.retry.fail-when-stuck"));
    }

    /** Pause before read number {@code attempt} (1-based): none before the first, then backoff, 2 x backoff, ... */
    public long pauseBefore(int attempt) {
        return attempt <= 1 ? 0 : backoffMillis << Math.min(attempt - 2, 20);
    }
}
