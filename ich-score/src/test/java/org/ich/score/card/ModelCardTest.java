package org.ich.score.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.ich.domain.Labels;
import org.ich.score.card.ModelCardData.Estimate;
import org.ich.score.card.ModelCardData.LabelEvaluation;
import org.ich.score.card.ModelCardData.LevelEvaluation;
import org.ich.score.card.ModelCardData.OperatingPoint;
import org.ich.score.card.ModelCardData.ReliabilityBin;
import org.ich.score.card.ModelCardData.SplitCounts;
import org.ich.score.card.ModelCardData.Stratum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model card page from hand-built figures: its sections, warning, escaping and images, then in headless Chromium. */
class ModelCardTest {
    static final Pattern IMG = Pattern.compile("<img[^>]*\\ssrc=\"([^\"]+)\"");
    static final String HOSTILE = "<script>alert('x')</script> & \"Co\"";

    @TempDir
    Path dir;

    @Test
    void thePageHasEverySectionInOrderTheSyntheticWarningEscapedTextAndItsImages() throws Exception {
        String html = render(card(true));
        int at = -1;
        for (String section : ModelCard.SECTIONS) {
            int next = html.indexOf("<h2>" + ReportPageText.esc(section) + "</h2>");
            assertTrue(next > at, "section \"" + section + "\" present and after the previous one");
            at = next;
        }
        assertTrue(html.contains("class=\"warn\">" + ReportPageText.esc(ModelCard.SYNTHETIC_WARNING)), "synthetic warning");
        assertTrue(html.indexOf("class=\"warn\"") < html.indexOf("<h2>Data</h2>"), "the warning opens the page");

        assertFalse(html.contains("<script"), "no script, not even the manufacturer's");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"), "hostile value escaped");
        assertFalse(html.contains("http://") || html.contains("https://"), "opens from disk with nothing fetched");

        List<String> images = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) images.add(m.group(1));
        assertEquals(List.of("plots/loss.png", "roc-slice.png", "roc-study.png", "calibration-slice.png", "calibration-study.png"),
                images);
        for (String src : images) {
            BufferedImage img = png(dir.resolve(src));
            assertNotNull(img, "referenced image " + src + " exists and decodes");
        }
        assertTrue(html.contains("Training curve plots/auc.png is missing"), "a curve not in the folder is named, not linked");

        assertTrue(html.contains("<td>learning_rate</td><td class=\"n\">0.0003</td>"), "a top-level setting, as written");
        assertTrue(html.contains("<td>augmentation.hflip</td><td>true</td>"), "a nested setting under its dotted key");
        assertTrue(html.contains("0.855 [n/a]"), "an estimate without its interval");
        assertTrue(html.contains("<td>n/a</td>"), "an unknown figure");
        assertTrue(html.contains("<td>40 / 33 / 52 / 2</td>"), "an operating point's counts");
        assertTrue(html.contains("0.912 [0.880,\u00A00.940]"), "an AUC with its interval");
    }

    @Test
    void anEmptyCardOfRealDataHasEverySectionAndNoWarning() throws Exception {
        ModelCardData empty = new ModelCardData("v-empty", Instant.parse("2026-01-01T00:00:00Z"), null, null, null, null,
                null, "[1, 2", null, false, null, null, null, null, null);
        String html = render(empty);
        for (String section : ModelCard.SECTIONS) assertTrue(html.contains("<h2>" + ReportPageText.esc(section) + "</h2>"), section);
        assertFalse(html.contains("class=\"warn\""), "no synthetic warning on real data");
        assertTrue(html.contains("not valid JSON"), "an invalid configuration is reported, not thrown");
        assertFalse(html.contains("<img"), "no charts without figures");

        String arrayConfig = render(new ModelCardData("v-array", Instant.EPOCH, Instant.EPOCH, "a", null, "h", null,
                "[1, 2]", 7L, false, null, null, null, null, null));
        assertTrue(arrayConfig.contains("(whole configuration)"), "a configuration that is not an object still shows");
    }

    @Test
    void chromiumLaysThePageOutWithEverySection() throws Exception {
        render(card(true));
        Path index = dir.resolve(ModelCard.INDEX);
        Path png = dir.resolve("screenshot.png");
        HeadlessChromium.screenshot(index, 1200, 4000, png);
        BufferedImage shot = png(png);
        assertNotNull(shot, "the screenshot decodes");
        assertEquals(1200, shot.getWidth());
        assertEquals(4000, shot.getHeight());
        Set<Integer> colours = new HashSet<>();
        long notWhite = 0;
        for (int y = 0; y < shot.getHeight(); y += 2) {
            for (int x = 0; x < shot.getWidth(); x += 2) {
                int rgb = shot.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) notWhite++;
            }
        }
        assertTrue(colours.size() > 100, "text, tables and charts drawn: " + colours.size() + " colours");
        assertTrue(notWhite > shot.getWidth() * shot.getHeight() / 4 / 50, "more than 2% of the page drawn: " + notWhite);
        // Kept next to the build's other outputs, for a look (CI artifacts): the screenshot and the card itself.
        Path kept = Files.createDirectories(Path.of("target", "model-card"));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".crc")).toList()) {
                Path to = kept.resolve(dir.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        String dom = HeadlessChromium.dumpDom(index);
        for (String section : ModelCard.SECTIONS) {
            assertTrue(dom.contains("<h2>" + ReportPageText.esc(section) + "</h2>"), "Chromium's DOM has section " + section);
        }
        assertFalse(dom.contains("<script"), "the DOM holds no script");
    }

    /** A PNG through the PNG reader alone (probing every reader wakes DICOM codecs that print to stdout). */
    static BufferedImage png(Path file) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    private String render(ModelCardData data) throws Exception {
        Files.createDirectories(dir.resolve("plots"));
        BufferedImage curve = new BufferedImage(300, 150, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = curve.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 150);
        g.setColor(new Color(0x1F, 0x77, 0xB4));
        g.drawLine(10, 140, 290, 20);
        g.dispose();
        ImageIO.write(curve, "png", dir.resolve("plots/loss.png").toFile());
        ModelCard.at(dir).write(data);
        return Files.readString(dir.resolve(ModelCard.INDEX));
    }

    static ModelCardData card(boolean synthetic) {
        List<SplitCounts> splits = List.of(split("train", 80, 96, 3456, 0.4), split("valid", 10, 12, 430, 0.38),
                split("test", 10, 12, 441, 0.41));
        String config = """
                {"epochs": 12, "image_size": 64, "learning_rate": 3.0E-4, "batch_size": 32,
                 "augmentation": {"hflip": true, "shift_px": 4, "intensity": 0.05}, "seed": 7, "note": "<b>bold</b>",
                 "folds": null, "windows": ["brain", "subdural", "bone"]}""";
        List<OperatingPoint> points = List.of(
                new OperatingPoint("high-sensitivity", 0.95, 0.1234, new Estimate(0.952, 0.871, 0.984),
                        new Estimate(0.61, 0.52, 0.69), new Estimate(0.55, 0.45, 0.64), new Estimate(0.96, 0.9, 0.99), 40, 33, 52, 2),
                new OperatingPoint("balanced", 0.85, 0.4321, new Estimate(0.857, 0.75, 0.93), new Estimate(0.82, 0.74, 0.88),
                        Estimate.of(0.7), Estimate.UNKNOWN, 36, 15, 70, 6));
        List<Stratum> strata = List.of(
                new Stratum("study", "manufacturer", "GE MEDICAL SYSTEMS", 60, 25, new Estimate(0.93, 0.87, 0.97), new Estimate(0.96, 0.8, 0.99)),
                new Stratum("study", "manufacturer", HOSTILE, 7, 3, new Estimate(0.83, 0.4, 1.0), new Estimate(1.0, 0.44, 1.0)),
                new Stratum("study", "age band", "65+", 20, 0, Estimate.UNKNOWN, Estimate.UNKNOWN));
        return new ModelCardData("20260102-030405-ab12", Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T04:20:00Z"),
                "resnet18", new ModelCardData.Input(3, 64, "brain:40:80,subdural:80:200,bone:600:2800"), "multilabel",
                "bilstm, 32 hidden units over 512-wide slice embeddings, 4 epochs", config, 1234567890123L, synthetic, splits,
                List.of("plots/loss.png", "plots/auc.png"),
                List.of(level("slice", 0.0812, 0.0), level("study", 0.1345, 0.4)), points, strata);
    }

    private static SplitCounts split(String name, long patients, long studies, long slices, double anyShare) {
        Map<String, Long> positives = new LinkedHashMap<>();
        for (int i = 0; i < Labels.COUNT; i++) positives.put(Labels.NAMES.get(i), Math.round(slices * anyShare / (i == 0 ? 1 : 3 + i)));
        return new SplitCounts(name, patients, studies, slices, positives);
    }

    /** Six labels with ROC curves tpr = fpr^k and reliability bins bent by {@code skew}. */
    private static LevelEvaluation level(String name, double weightedLogLoss, double skew) {
        List<LabelEvaluation> labels = new ArrayList<>();
        for (int i = 0; i < Labels.COUNT; i++) {
            double k = 0.08 + 0.09 * i + skew * 0.1;
            int n = 41;
            double[] fpr = new double[n], tpr = new double[n];
            for (int j = 0; j < n; j++) {
                fpr[j] = j / (n - 1.0);
                tpr[j] = Math.pow(fpr[j], k);
            }
            List<ReliabilityBin> bins = new ArrayList<>();
            for (int b = 0; b < 10; b++) {
                double p = (b + 0.5) / 10;
                double observed = Math.min(1, Math.max(0, p + (0.04 + 0.02 * i + skew * 0.1) * Math.sin(Math.PI * p) * (i % 2 == 0 ? 1 : -1)));
                bins.add(new ReliabilityBin(p, observed, b == 9 && i == 5 ? 0 : 100 - 9L * b));
            }
            Estimate auc = i == 0 && name.equals("slice") ? new Estimate(0.912, 0.88, 0.94)
                    : i == 1 ? Estimate.of(1 / (1 + k)) : new Estimate(1 / (1 + k), 1 / (1 + k) - 0.05, Math.min(1, 1 / (1 + k) + 0.04));
            labels.add(new LabelEvaluation(Labels.NAMES.get(i), name.equals("slice") ? 441 : 12, name.equals("slice") ? 180 / (i + 1) : 5,
                    auc, 0.1 + 0.02 * i, i == 4 ? Double.NaN : 0.02 + 0.01 * i, fpr, tpr, bins));
        }
        return new LevelEvaluation(name, weightedLogLoss, labels);
    }

    /** The page's escaping, as the tests expect it (ReportPage.esc). */
    private static final class ReportPageText {
        static String esc(String s) {
            return org.ich.report.ReportPage.esc(s);
        }
    }
}
