package org.ich.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON record of one pipeline run ({@code <ich.pipeline.runs>/<run id>.json}): each step with its outcome, time and
 * figures, the model versions involved, and how the run ended. Written when the run ends, however it ends.
 */
public final class RunSummary {
    public enum Status { SUCCEEDED, FAILED }

    /** @param status done, skipped (with the reason in figures) or failed */
    public record Step(String name, String status, double seconds, Map<String, Object> figures) {
    }

    private final String runId;
    private final Instant started;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Object> models = new LinkedHashMap<>();
    private final Map<String, Object> headline = new LinkedHashMap<>();
    private Status status;
    private Instant finished;
    private String failure;

    public RunSummary(String runId, Instant started) {
        this.runId = runId;
        this.started = started;
    }

    public void step(String name, String status, Instant from, Map<String, Object> figures) {
        steps.add(new Step(name, status, Duration.between(from, Instant.now()).toMillis() / 1000.0, new LinkedHashMap<>(figures)));
    }

    /** The figures a reader looks for first: the evaluated version's study-level operating point and AUC(any). */
    public void headline(Map<String, Object> figures) {
        headline.clear();
        headline.putAll(figures);
    }

    public Map<String, Object> getHeadline() { return Collections.unmodifiableMap(headline); }

    public void model(String key, Object value) {
        models.put(key, value);
    }

    public void end(Status status, String failure) {
        this.status = status;
        this.failure = failure;
        this.finished = Instant.now();
    }

    public String getRunId() { return runId; }

    public Status getStatus() { return status; }

    public Instant getStarted() { return started; }

    public Instant getFinished() { return finished; }

    public double getSeconds() {
        return finished == null ? 0 : Duration.between(started, finished).toMillis() / 1000.0;
    }

    public String getFailure() { return failure; }

    public List<Step> getSteps() { return List.copyOf(steps); }

    public Map<String, Object> getModels() { return Collections.unmodifiableMap(models); }
}
