package org.ich.train.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ich.domain.Labels;
import org.ich.train.metrics.LabelMetrics;
import org.ich.train.metrics.RsnaMetric;

/**
 * The per-epoch curves and the worst case over the grid of {@code ich bench quality}: each run's inference-mode valid
 * loss and AUC(any) after every epoch side by side with the reference's, how far AUC(any) fell below its best earlier
 * epoch (the collapse measure), and per figure the cohort where ich did worst against the reference.
 */
final class QualityGrid {

    /** Line prefix of the reference script's per-epoch figures: {@code reference.epoch.N TRAIN_LOSS VALID_LOSS AUC_ANY}. */
    static final String REFERENCE_EPOCH = "reference.epoch.";

    /** Epochs before this one may dip (the warm-up): the collapse measure starts after them. */
    static final int COLLAPSE_FROM_EPOCH = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private QualityGrid() {
    }

    /** One epoch of a curve: train loss (data term) and the inference-mode valid figures after it. */
    record Epoch(int epoch, double trainLoss, double validLoss, double aucAny) {

        static Epoch of(int epoch, double trainLoss, double[][] probs, int[][] truth) {
            return new Epoch(epoch, trainLoss, RsnaMetric.weightedLogLoss(probs, truth),
                    LabelMetrics.compute(probs, truth, Labels.NAMES).get(Labels.ANY).auc());
        }

        static Epoch parse(String line) {
            String[] parts = line.substring(REFERENCE_EPOCH.length()).trim().split("\\s+");
            return new Epoch(Integer.parseInt(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
                    Double.parseDouble(parts[3]));
        }
    }

    /** The curve of an {@code ich train} version from its metrics.json. */
    static List<Epoch> curve(byte[] metricsJson) throws IOException {
        List<Epoch> curve = new ArrayList<>();
        for (JsonNode e : JSON.readTree(metricsJson).path("epochs")) {
            curve.add(new Epoch(e.path("epoch").asInt(), number(e.path("train_loss")), number(e.path("valid_loss")),
                    number(e.path("labels").path(Labels.NAMES.get(Labels.ANY)).path("auc"))));
        }
        return curve;
    }

    /** The seconds an {@code ich train} version spent in its epochs' training steps, from its metrics.json. */
    static double fitSeconds(byte[] metricsJson) throws IOException {
        double seconds = 0;
        for (JsonNode e : JSON.readTree(metricsJson).path("epochs")) seconds += e.path("seconds").asDouble();
        return seconds;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /**
     * The largest fall of AUC(any) below the best of the epochs before it, from {@link #COLLAPSE_FROM_EPOCH} on
     * (0 when it never fell; NaN for a curve too short to tell).
     */
    static double collapse(List<Epoch> curve) {
        if (curve.size() < COLLAPSE_FROM_EPOCH) return Double.NaN;
        double best = Double.NEGATIVE_INFINITY, fall = 0;
        for (Epoch e : curve) {
            if (e.epoch() >= COLLAPSE_FROM_EPOCH && best > e.aucAny()) fall = Math.max(fall, best - e.aucAny());
            best = Math.max(best, e.aucAny());
        }
        return fall;
    }

    /** The runs' curves side by side, one comment line per epoch, then each run's collapse figure. */
    static void curves(String cohort, List<QualityBenchmark.Scored> runs, PrintStream out) {
        List<QualityBenchmark.Scored> withCurves = runs.stream().filter(r -> !r.curve().isEmpty()).toList();
        if (withCurves.isEmpty()) return;
        StringBuilder head = new StringBuilder("# " + cohort
                + " curves: train loss, then valid loss and AUC(any) in inference mode; epoch");
        for (QualityBenchmark.Scored r : withCurves) head.append(String.format(" | %-26s", r.run()));
        out.println(head);
        int epochs = withCurves.stream().mapToInt(r -> r.curve().size()).max().orElse(0);
        for (int i = 0; i < epochs; i++) {
            StringBuilder line = new StringBuilder(String.format("# %s %5d", cohort, i + 1));
            for (QualityBenchmark.Scored r : withCurves) {
                Epoch e = i < r.curve().size() ? r.curve().get(i) : null;
                line.append(e != null ? String.format(" | %7.4f %7.4f / %.3f", e.trainLoss(), e.validLoss(), e.aucAny())
                        : " | " + " ".repeat(26));
            }
            out.println(line);
        }
        for (QualityBenchmark.Scored r : withCurves) {
            out.printf("quality.%s.%s.collapse_auc_any %.3f%n", cohort, r.run(), collapse(r.curve()));
        }
        out.flush();
    }

    /** Per figure, the cohort where each run did worst against the reference (or, without one, on its own). */
    static void summarise(List<QualityBenchmark.CohortResult> results, PrintStream out) {
        List<String> runs = results.stream().flatMap(c -> c.runs().stream()).map(QualityBenchmark.Scored::run)
                .distinct().toList();
        for (String run : runs) {
            worst(results, run, "mean_auc_minus_reference", false, (c, r) -> c.reference() == null ? Double.NaN
                    : r.meanAuc() - c.reference().meanAuc(), out);
            worst(results, run, "loss_ratio_to_reference", true, (c, r) -> c.reference() == null ? Double.NaN
                    : r.loss() / c.reference().loss(), out);
            worst(results, run, "wall_ratio_to_reference", true, (c, r) -> c.reference() == null ? Double.NaN
                    : r.seconds() / c.reference().seconds(), out);
            worst(results, run, "fit_ratio_to_reference", true, (c, r) -> c.reference() == null ? Double.NaN
                    : r.fitSeconds() / c.reference().fitSeconds(), out);
            worst(results, run, "collapse_auc_any", true, (c, r) -> collapse(r.curve()), out);
            worst(results, run, "collapse_beyond_reference", true, (c, r) -> c.reference() == null ? Double.NaN
                    : collapse(r.curve()) - collapse(c.reference().curve()), out);
        }
        worst(results, "reference", "collapse_auc_any", true, (c, r) -> collapse(c.reference().curve()), out);
    }

    private interface Figure {
        double of(QualityBenchmark.CohortResult cohort, QualityBenchmark.Scored run);
    }

    private static void worst(List<QualityBenchmark.CohortResult> results, String run, String name, boolean highIsBad,
                              Figure figure, PrintStream out) {
        Optional<Map.Entry<String, Double>> worst = results.stream()
                .flatMap(c -> (run.equals("reference") ? Optional.ofNullable(c.reference()).stream()
                        : c.runs().stream().filter(r -> r.run().equals(run)))
                        .map(r -> Map.entry(c.cohort(), figure.of(c, r))))
                .filter(e -> !Double.isNaN(e.getValue()))
                .max(Comparator.comparingDouble(e -> highIsBad ? e.getValue() : -e.getValue()));
        worst.ifPresent(e -> out.printf("# worst %s of %s: cohort %s%nquality.worst.%s.%s %.3f%n", name, run, e.getKey(),
                run, name, e.getValue()));
    }
}
