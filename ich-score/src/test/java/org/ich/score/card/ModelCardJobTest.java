package org.ich.score.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ich.config.Settings;
import org.ich.report.ReportPage;
import org.ich.score.evaluate.EvaluateConfig;
import org.ich.score.testing.ScoringFixture;
import org.ich.train.registry.ModelRegistry;
import org.junit.jupiter.api.Test;

/** The champion's card from the real tables and registry, evaluated first, then laid out by headless Chromium. */
class ModelCardJobTest {

    @Test
    void writesTheChampionsCardIntoItsVersionFolder() throws Exception {
        ScoringFixture fixture = ScoringFixture.get();
        Settings settings = fixture.settings("ich.evaluate.bootstrap=20");
        ModelRegistry registry = ModelRegistry.from(settings);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ModelCardJob.Result card = new ModelCardJob(fixture.spark(), EvaluateConfig.from(settings), registry,
                new PrintStream(console, true, StandardCharsets.UTF_8)).write("champion");
        String printed = console.toString(StandardCharsets.UTF_8);

        assertEquals(fixture.champion(), card.version());
        assertEquals(registry.champion().orElseThrow().modelCard(), card.index(), "the card is in the version folder");
        Path index = Path.of(card.index());
        assertTrue(Files.isRegularFile(index), printed);
        String html = Files.readString(index);
        for (String section : ModelCard.SECTIONS) {
            assertTrue(html.contains("<h2>" + ReportPage.esc(section) + "</h2>"), section);
        }
        assertTrue(html.contains("class=\"warn\">" + ReportPage.esc(ModelCard.SYNTHETIC_WARNING)), "ich synth's mark seen");
        assertTrue(html.contains("<td>valid</td>"), "data counts of split valid");
        if (card.evaluatedFirst()) assertTrue(printed.contains("running `ich evaluate --split valid` first"), printed);
        assertTrue(Files.isRegularFile(index.resolveSibling("plots/loss.png")), "training curve copied");
        assertTrue(Files.isRegularFile(index.resolveSibling("roc-study.png")), "study ROC drawn");

        Path png = Path.of("target", "model-card-job.png");
        Files.createDirectories(png.getParent());
        HeadlessChromium.screenshot(index, 1200, 5000, png);
        assertEquals(1200, ModelCardTest.png(png).getWidth());
    }
}
