package org.ich.score.job;

import java.util.Locale;

import org.ich.etl.job.EtlSummary;

/**
 * What a scoring run did.
 *
 * @param etl     the ingest of ich.score.input, or null when scoring rows of the slices table
 * @param scored  prediction rows written (new or replaced)
 * @param studies studies of this model version in study_predictions after the run
 */
public record ScoreSummary(String runId, String modelVersion, String tta, EtlSummary etl, long candidates, long scored,
                           long studies, long predictionsTotal, double inferenceSeconds, double seconds) {

    public double slicesPerSecond() {
        return seconds > 0 ? scored / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "score: run %s, model %s (tta %s): %d slices scored into predictions (%.1f slices/s"
                        + " overall, inference %.1f s), %d studies in study_predictions for this model, predictions now %d rows;"
                        + " %.1f s in all", runId, modelVersion, tta, scored, slicesPerSecond(), inferenceSeconds, studies,
                predictionsTotal, seconds);
    }
}
