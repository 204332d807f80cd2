package org.ich.train.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One line per model version, as {@code ich models} shows them. */
public final class VersionListing {

    /**
     * @param input       channels x size x size, or null when not recorded yet
     * @param modelBytes  size of model.zip, -1 before training wrote it
     * @param validLogLoss validation weighted log loss, null before the run completes
     * @param modelCard   where the version's model card is ({@code ich model-card}), null when it has none
     */
    public record Row(String id, String status, String architecture, String input, long modelBytes, Double validLogLoss,
                      Double aucAny, Instant created, boolean champion, String modelCard) {
    }

    private VersionListing() {}

    public static List<Row> of(ModelRegistry registry) {
        String champion = registry.champion().map(ModelVersion::id).orElse(null);
        List<Row> rows = new ArrayList<>();
        for (ModelVersion v : registry.list()) {
            Optional<Manifest> m = registry.tryManifest(v);
            boolean isChampion = v.id().equals(champion);
            long bytes = registry.modelSize(v);
            String card = registry.hasModelCard(v) ? v.modelCard().toString() : null;
            if (m.isEmpty()) {
                rows.add(new Row(v.id(), "NO MANIFEST", null, null, bytes, null, null, null, isChampion, card));
                continue;
            }
            Manifest man = m.get();
            Manifest.Input in = man.input();
            Manifest.Metrics metrics = man.metrics();
            rows.add(new Row(v.id(), man.status().name(), man.architecture(),
                    in == null ? null : in.channels() + "x" + in.size() + "x" + in.size(), bytes,
                    metrics == null ? null : metrics.validWeightedLogLoss(),
                    metrics == null || Double.isNaN(metrics.aucAny()) ? null : metrics.aucAny(), man.created(), isChampion, card));
        }
        return rows;
    }

    static final String[] HEADER = {"id", "status", "architecture", "input", "model", "valid_log_loss", "auc_any", "created", "champion", "model_card"};

    static List<String> cells(Row r) {
        return List.of(r.id(), r.status(), orEmpty(r.architecture()), orEmpty(r.input()), r.modelBytes() < 0 ? "" : megabytes(r.modelBytes()),
                r.validLogLoss() == null ? "" : String.format(Locale.ROOT, "%.4f", r.validLogLoss()),
                r.aucAny() == null ? "" : String.format(Locale.ROOT, "%.4f", r.aucAny()),
                r.created() == null ? "" : r.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), r.champion() ? "*" : "",
                r.modelCard() == null ? "" : "yes");
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
