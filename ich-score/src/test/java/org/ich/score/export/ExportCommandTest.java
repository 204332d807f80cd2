package org.ich.score.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.score.ModelChoice;
import org.ich.score.ScoreConfig;
import org.ich.score.job.ScoreJob;
import org.ich.score.testing.ScoringFixture;
import org.ich.spark.Storage;
import org.ich.train.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RSNA submission CSV: the challenge's header and IDs, six rows per scored slice, probabilities as scored. */
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyScoredSliceGetsSixRowsInTheChallengesFormat() throws Exception {
        ScoringFixture f = ScoringFixture.get();
        var settings = f.settings();
        CommonConfig common = CommonConfig.from(settings);
        new ScoreJob(f.spark(), ScoreConfig.from(settings), ModelChoice.resolve(ModelRegistry.from(settings), f.champion()),
                new PrintStream(new ByteArrayOutputStream())).run();
        List<Row> scored = f.spark().table(common.table("predictions"))
                .where(col("model_version").equalTo(lit(f.champion()))).select("sop_instance_uid", "p_any").collectAsList();

        Path csv = dir.resolve("submission.csv");
        long rows = ExportCommand.rsnaSubmission(f.spark(), common, f.champion(), "", Storage.of(common), csv.toUri());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("ID,Label", lines.get(0));
        assertEquals(6L * scored.size(), rows);
        assertEquals(rows + 1, lines.size());
        Set<String> ids = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(",");
            assertEquals(2, parts.length, line);
            assertTrue(parts[0].matches("ID_[0-9.]+_(" + String.join("|", Labels.NAMES) + ")"), line);
            double p = Double.parseDouble(parts[1]);
            assertTrue(p >= 0 && p <= 1, line);
            ids.add(parts[0]);
        }
        assertEquals(rows, ids.size(), "one row per slice and label");
        Row first = scored.get(0);
        assertTrue(lines.contains(String.format(java.util.Locale.ROOT, "ID_%s_any,%.6f", first.getString(0), first.getDouble(1))));
    }
}
