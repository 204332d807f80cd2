package org.ich.score.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.domain.Labels;
import org.ich.etl.PrivacyConfig;
import org.ich.etl.job.CrosswalkTable;
import org.ich.etl.job.SliceTable;
import org.ich.score.ModelChoice;
import org.ich.score.ScoreConfig;
import org.ich.score.job.ScoreJob;
import org.ich.score.testing.ScoringFixture;
import org.ich.spark.Storage;
import org.ich.train.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RSNA submission CSV: the challenge's header and IDs, six rows per scored slice, probabilities as scored. The
 * predictions hold slice keys; the IDs must still be the original SOP UIDs, which only the crosswalk knows.
 */
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
                .where(col("model_version").equalTo(lit(f.champion()))).select(SliceTable.KEY, "p_any").collectAsList();
        PrivacyConfig.Crosswalk crosswalk = PrivacyConfig.Crosswalk.from(settings);

        Path csv = dir.resolve("submission.csv");
        long rows = ExportCommand.rsnaSubmission(f.spark(), common, crosswalk, f.champion(), "", Storage.of(common),
                csv.toUri());
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
        // The original UID of a scored slice, as the DICOM file holds it, looked up independently of the export.
        Row first = scored.get(0);
        String uid = CrosswalkTable.read(f.spark(), crosswalk, "the test").where(col(SliceTable.KEY).equalTo(first.getString(0)))
                .select("sop_instance_uid").first().getString(0);
        assertEquals(first.getString(0), PrivacyConfig.from(settings).pseudonyms().slice(uid), "the crosswalk's UID is the slice's");
        assertTrue(lines.contains(String.format(java.util.Locale.ROOT, "ID_%s_any,%.6f", uid, first.getDouble(1))));
    }

    @Test
    void withoutTheCrosswalkTheExportSaysWhereItLooked() throws Exception {
        ScoringFixture f = ScoringFixture.get();
        // A catalog name of its own: Spark keeps a catalog's first warehouse for the session's life, and the fixture's
        // session has the real crosswalk attached under the default name.
        var settings = f.settings("ich.privacy.crosswalk.warehouse=\"" + dir.resolve("no-crosswalk").toUri() + "\"",
                "ich.privacy.crosswalk.catalog=ich_no_crosswalk");
        CommonConfig common = CommonConfig.from(settings);
        Path csv = dir.resolve("submission.csv");
        UserError e = assertThrows(UserError.class, () -> ExportCommand.rsnaSubmission(f.spark(), common,
                PrivacyConfig.Crosswalk.from(settings), f.champion(), "", Storage.of(common), csv.toUri()));
        assertTrue(e.getMessage().contains("ich.privacy.crosswalk.warehouse"), e.getMessage());
        assertFalse(Files.exists(csv), "nothing written");
    }
}
