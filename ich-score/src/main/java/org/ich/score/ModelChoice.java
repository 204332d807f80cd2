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
import org.ich.train.registry.VersionFolder;
import org.ich.train.sequence.job.ContextStage;

/** The model version a scoring run uses: the registry's champion, or the version ich.score.model names. */
public final class ModelChoice {
    private ModelChoice() {
    }

    /** The version "champion" or a version id names, without reading its model. */
    public static ModelVersion version(ModelRegistry registry, String model) {
        return ScoreConfig.CHAMPION.equals(model)
                ? registry.champion().orElseThrow(() -> new UserError("the registry at " + registry.root()
                        + " has no champion yet; train one with `submit/ich train`, or name a version id"))
                : registry.find(model).orElseThrow(() -> new UserError("no model version " + model
                        + " in the registry at " + registry.root() + "; `submit/ich models` lists them"));
    }

    public static ScoringModel resolve(ModelRegistry registry, String model) {
        ModelVersion version = version(registry, model);
        Manifest m = registry.readManifest(version);
        if (m.status() != Manifest.Status.COMPLETE || m.input() == null) {
            throw new UserError("ich.score.model: version " + version.id() + " is " + m.status()
                    + "; only COMPLETE versions score (a RUNNING one resumes with `submit/ich train`)");
        }
        ScoringModel slices = of(version.id(), m.architecture(), m.input(), m.labels(), registry.readModel(version));
        ScoringModel both = m.context() == null ? slices : withContext(slices, registry.folder(version));
        return m.primaryOperatingPoint().map(p -> both.flaggingAt(p.name(), p.threshold())).orElse(both);
    }

    /** The slice stage and the context stage that reads its embeddings, both from the version folder. */
    private static ScoringModel withContext(ScoringModel slices, VersionFolder folder) {
        try {
            return new ScoringModel(slices.version(), slices.architecture(), slices.channels(), slices.size(),
                    slices.neighbours(), slices.labels(), slices.modelZip(), ContextStage.read(folder));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the context stage of " + slices.version(), e);
        }
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
