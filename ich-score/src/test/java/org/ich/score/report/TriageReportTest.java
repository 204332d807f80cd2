package org.ich.score.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Row;
import org.ich.cli.Main;
import org.ich.score.testing.InProcessCli;
import org.ich.score.testing.ScoringFixture;
import org.ich.train.model.Heatmap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ich report and the README's analyst queries, through the CLI, on a scored cohort. */
class TriageReportTest {
    static final Pattern IMG = Pattern.compile("<img[^>]*\\ssrc=\"([^\"]+)\"");
    static ScoringFixture fixture;

    @BeforeAll
    static void scored() throws Exception {
        fixture = ScoringFixture.get();
        // A run over every slice, so the latest run (the one reported) covers every study.
        List<String> args = new ArrayList<>(List.of("score"));
        args.addAll(fixture.overrides("ich.score.select=all"));
        assertEquals(0, Main.execute(args.toArray(String[]::new)));
    }

    @Test
    void theReportShowsTheRunsTopStudiesWithTheirImages() throws Exception {
        List<String> args = new ArrayList<>(List.of("report"));
        args.addAll(fixture.overrides("ich.report.studies=3"));
        InProcessCli.Result result = InProcessCli.run(args);
        assertEquals(0, result.code(), result.output());
        Row latest = fixture.spark().sql("SELECT run_id FROM predictions ORDER BY scored_at DESC LIMIT 1").first();
        Path dir = fixture.dir().resolve("reports").resolve(latest.getString(0));
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(result.output().contains("index.html"), result.output());

        Matcher m = IMG.matcher(html);
        int images = 0;
        int heatmaps = 0;
        while (m.find()) {
            Path png = dir.resolve(m.group(1));
            assertTrue(Files.exists(png), "referenced image " + m.group(1));
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, m.group(1));
            boolean heatmap = m.group(1).contains("heatmap");
            // Thumbnails at the tensor's 64 px; heatmap overlays at the network's input size, scaled up.
            assertEquals(heatmap ? 64 * Heatmap.SCALE : 64, img.getWidth(), m.group(1));
            if (heatmap) heatmaps++;
            else images++;
        }
        assertTrue(images >= 3, "at least the top slice of each of the 3 studies: " + images);
        long flagged = fixture.spark().sql("SELECT s.study_key FROM study_predictions s WHERE s.model_version = '"
                + fixture.champion() + "' AND s.flagged ORDER BY s.triage_rank LIMIT 3").count();
        assertEquals(flagged, heatmaps, "one heatmap next to the key slice of each flagged study shown");
        assertEquals(flagged, html.split(">FLAGGED<").length - 1, "flagged studies marked in the table");
        assertEquals(3, html.split("class=\"sample\"").length - 1, "three studies shown");
        for (String label : List.of("any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural")) {
            assertTrue(html.contains("<th>" + label + "</th>"), label);
        }
        assertFalse(html.contains("http://") || html.contains("https://"), "opens from disk with nothing fetched");
        for (String phi : fixture.archive().cohort().identifyingStrings()) {
            assertFalse(html.contains(phi), "identifier in the report: " + phi);
        }
    }

    @Test
    void everyAnalystQueryInTheReadmeRuns() throws Exception {
        Path readme = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md");
        if (!Files.exists(readme)) readme = Path.of("..", "README.md");
        List<String> queries;
        try (Stream<String> lines = Files.lines(readme)) {
            queries = lines.filter(l -> l.startsWith("submit/ich sql \""))
                    .map(l -> l.substring("submit/ich sql \"".length(), l.lastIndexOf('"'))).toList();
        }
        assertEquals(5, queries.size(), "the README's five analyst queries");
        for (String query : queries) {
            List<String> args = new ArrayList<>(List.of("sql", query, "--format", "csv"));
            args.addAll(fixture.overrides());
            InProcessCli.Result result = InProcessCli.run(args);
            assertEquals(0, result.code(), query + "\n" + result.output());
            // Slices where two versions disagree exist only when the fixture's versions do: the query must run.
            long rows = query.contains("JOIN predictions b") ? 0 : 1;
            assertTrue(result.output().lines().count() >= 1 + rows, "a header and at least " + rows + " row(s): " + query
                    + "\n" + result.output());
        }
    }
}
