package org.ich.train.registry;

import org.ich.spark.Storage;

import java.net.URI;

/**
 * One training run's folder in the registry, {@code <root>/versions/<id>/}. The id starts with the creation time, so
 * ids sort by age.
 */
public record ModelVersion(String id, URI dir) {
    public static final String MODEL_ZIP = "model.zip";
    public static final String MANIFEST = "manifest.json";
    public static final String METRICS = "metrics.json";
    public static final String PLOTS = "plots";
    public static final String CHECKPOINTS = "checkpoints";
    /** The model card's folder ({@code ich model-card} writes {@code model-card/index.html} there). */
    public static final String MODEL_CARD = "model-card";

    public ModelVersion {
        VersionId.check(id);
    }

    /** The trained network (DL4J ModelSerializer format); written once, never replaced. */
    public URI modelZip() { return Storage.child(dir, MODEL_ZIP); }

    public URI manifestUri() { return Storage.child(dir, MANIFEST); }

    /** Per-epoch figures the training job records (its own format). */
    public URI metricsJson() { return Storage.child(dir, METRICS); }

    public URI plots() { return Storage.child(dir, PLOTS); }

    /** The model card's page, {@code model-card/index.html}. */
    public URI modelCard() { return Storage.child(Storage.child(dir, MODEL_CARD), "index.html"); }

    public URI checkpoints() { return Storage.child(dir, CHECKPOINTS); }
}
