package org.ich.score;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.ich.cli.UserError;
import org.ich.train.registry.Manifest;
import org.ich.train.registry.ModelRegistry;
import org.ich.train.registry.ModelVersion;

/** The model version a scoring run uses: the registry's champion, or the version ich.score.model names. */
public final class ModelChoice {
    private ModelChoice() {
    }

    public static ScoringModel resolve(ModelRegistry registry, String model) {
        ModelVersion version = ScoreConfig.CHAMPION.equals(model)
                ? registry.champion().orElseThrow(() -> new UserError("the registry at " + registry.root()
                        + " has no champion yet; train one with `submit/ich train`, or set ich.score.model to a version id"))
                : registry.find(model).orElseThrow(() -> new UserError("ich.score.model: no model version " + model
                        + " in the registry at " + registry.root() + "; `submit/ich models` lists them"));
        Manifest m = registry.readManifest(version);
        if (m.status() != Manifest.Status.COMPLETE || m.input() == null) {
            throw new UserError("ich.score.model: version " + version.id() + " is " + m.status()
                    + "; only COMPLETE versions score (a RUNNING one resumes with `submit/ich train`)");
        }
        return of(version.id(), m.architecture(), m.input(), m.labels(), registry.readModel(version));
    }

    /** For a network that is not in a registry (benchmarks, tests). */
    public static ScoringModel of(String version, String architecture, Manifest.Input input, List<String> labels,
                                  ComputationGraph net) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            // Without the updater state: scoring never trains, and executors receive a third of the bytes.
            ModelSerializer.writeModel(net, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ScoringModel(version, architecture, input.channels(), input.size(), input.neighbours(), labels,
                bytes.toByteArray());
    }
}
