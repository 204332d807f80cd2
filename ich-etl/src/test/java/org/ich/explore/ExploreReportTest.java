package org.ich.explore;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.Main;
import org.ich.config.CommonConfig;
import org.ich.config.IchConf;
import org.ich.config.Settings;
import org.ich.etl.PixelParams;
import org.ich.etl.PrivacyConfig;
import org.ich.etl.job.EtlTables;
import org.ich.etl.job.QuarantineTable;
import org.ich.etl.job.SliceTable;
import org.ich.pixel.Window;
import org.ich.report.ReportPage;
import org.ich.spark.IchSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Builds two small Iceberg slices tables (labelled and not) and checks the report written from each. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExploreReportTest {
    static final int SIZE = 16;
    static final PixelParams PIXELS = new PixelParams(List.of(new Window("brain", 40, 80), new Window("subdural", 80, 200),
            new Window("bone", 600, 2800)), SIZE, 0.02, -300f, 4);
    static final Timestamp NOW = Timestamp.valueOf("2024-05-01 12:00:00");
    static final Pattern IMG = Pattern.compile("<img[^>]*\\ssrc=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static SparkSession spark;
    static CommonConfig labelled, bare;

    @BeforeAll
    static void createTables() throws Exception {
        labelled = CommonConfig.from(settings("rsna"));
        bare = CommonConfig.from(settings("bare"));
        spark = IchSpark.session(labelled, "explore-test");

        EtlTables.ensure(spark, labelled, PIXELS, PrivacyConfig.from(settings("rsna")));
        spark.createDataFrame(labelledRows(), SliceTable.SCHEMA).writeTo(labelled.table(SliceTable.NAME)).append();
        spark.createDataFrame(List.of(quarantined("NOT_DICOM", 1), quarantined("NOT_DICOM", 2), quarantined("EMPTY_FILE", 3)),
                QuarantineTable.SCHEMA).writeTo(labelled.table(QuarantineTable.NAME)).append();

        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + bare.catalog() + "." + bare.namespace());
        EtlTables.ensure(spark, bare, PIXELS, PrivacyConfig.from(settings("bare")));
        spark.sql("DROP TABLE " + bare.table(QuarantineTable.NAME));
        spark.createDataFrame(unlabelledRowsWithLeak(), SliceTable.SCHEMA).writeTo(bare.table(SliceTable.NAME)).append();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static Settings settings(String namespace) {
        return new Settings(IchConf.load(null, List.of("ich.warehouse=\"" + dir.resolve("warehouse") + "\"",
                "ich.spark.master=\"local[2]\"", "ich.namespace=" + namespace,
                "ich.spark.conf.\"spark.sql.shuffle.partitions\"=\"2\"", "ich.privacy.allow-dev-key=true")), Map.of());
    }

    @Test
    @Order(1)
    void labelledTableReport() throws IOException {
        Path out = dir.resolve("report-labelled");
        ExploreConfig cfg = new ExploreConfig(labelled, out.toUri(), 6, 0.02);
        new ExploreReport(spark, cfg).write();
        String html = Files.readString(out.resolve("index.html"));

        // split, slices, patients, studies, series, empty, labelled
        assertTrue(html.contains(row("train", "14", "4", "4", "4", "2", "14")), html);
        assertTrue(html.contains(row("valid", "6", "2", "2", "2", "1", "6")), html);
        assertTrue(html.contains(row("all", "20", "6", "6", "6", "3", "20")), html);
        assertTrue(html.contains("no patient in two splits"));
        assertFalse(html.contains("class=\"warn\""));

        // label, positives, share per split (train 4/14, valid 1/6, all 5/20)
        assertTrue(html.contains(row("any", "5", "28.57%", "16.67%", "25.00%")), html);
        assertTrue(html.contains(row("subdural", "2", "7.14%", "16.67%", "10.00%")), html);
        assertTrue(html.contains("1 slice has more than one subtype"));
        assertTrue(html.contains("label-any.png") && html.contains("label-subtypes.png"));

        assertTrue(html.contains(row("12", "0 (unsigned)", "yes", "4", "1", "20.00%")), html);
        assertTrue(html.contains(row("GE MEDICAL SYSTEMS", "10", "3", "50.00%")), html);
        assertTrue(html.contains(row("(not recorded)", "3", "1", "15.00%")), html);

        assertTrue(html.contains("Empty threshold (ich.etl.empty-threshold): 0.02"));
        assertTrue(html.contains("Slices flagged is_empty: 3 of 20"));

        // Positives of the five subtypes first (the subdural one is the slice not already shown), then a negative.
        assertTrue(html.contains("Sample 1 \u00b7 train \u00b7 positive: epidural, subdural"), html);
        assertTrue(html.contains("Sample 5 \u00b7 valid \u00b7 positive: subdural"), html);
        assertTrue(Pattern.compile("Sample 6 \u00b7 (train|valid) \u00b7 negative").matcher(html).find(), html);
        assertTrue(html.contains("brain (40/80 HU)") && html.contains("bone (600/2800 HU)"));

        assertTrue(html.contains(row("NOT_DICOM", ReportPage.esc(org.ich.dicom.QuarantineReason.NOT_DICOM.meaning()), "2", "66.67%")), html);

        List<String> images = imagesOf(html, out);
        assertEquals(3 + 6 * 3, images.size(), images.toString());
        // Channel 1 of sample 1 is row 0's second plane; pixel (x, y) must come back unchanged.
        BufferedImage ch = ImageIO.read(out.resolve("sample-01-channel-1.png").toFile());
        assertEquals(SIZE, ch.getWidth());
        assertEquals(pixel(0, 1, 5, 3), ch.getRaster().getSample(5, 3, 0));

        for (int p = 0; p < 6; p++) assertFalse(html.contains(patientKey(p)), "a patient key leaked into the report");
        assertFalse(html.contains("1.2.826"), "an instance UID leaked into the report");
    }

    @Test
    @Order(2)
    void unlabelledTableReportSaysSoAndFlagsTheLeak() throws IOException {
        Path out = dir.resolve("report-bare");
        new ExploreReport(spark, new ExploreConfig(bare, out.toUri(), 2, 0.02)).write();
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("No labels: every label column is null"), html);
        assertFalse(html.contains("label-any.png"));
        assertTrue(html.contains("class=\"warn\">Check failed: 1 patient has slices in more than one split"), html);
        assertTrue(html.contains("\u00b7 unlabelled"));
        assertTrue(html.contains("No quarantine table"));
        assertEquals(1 + 2 * 3, imagesOf(html, out).size());
    }

    @Test
    @Order(3)
    void emptyTableReportSaysSo() throws IOException {
        CommonConfig empty = CommonConfig.from(settings("empty"));
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + empty.catalog() + "." + empty.namespace());
        EtlTables.ensure(spark, empty, PIXELS, PrivacyConfig.from(settings("empty")));
        Path out = dir.resolve("report-empty");
        new ExploreReport(spark, new ExploreConfig(empty, out.toUri(), 6, 0.02)).write();
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("The slices table is empty"), html);
        assertTrue(html.contains("No file was quarantined"), html);
        assertEquals(List.of(), imagesOf(html, out));
    }

    @Test
    @Order(4) // last: the command closes the shared session when it ends
    void commandWritesWhereToldAndSaysWhere() throws IOException {
        Path out = dir.resolve("report-command");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            rc = Main.executeOne(new ExploreCommand(), "--out", out.toString(), "ich.warehouse=\"" + dir.resolve("warehouse") + "\"",
                    "ich.spark.master=\"local[2]\"", "ich.explore.samples=1");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, rc);
        String said = printed.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("report written to file:") && said.contains("report-command/index.html"), said);
        assertTrue(Files.isRegularFile(out.resolve("index.html")));
    }

    /** Every image the page references exists next to it and decodes as a PNG with a size. */
    static List<String> imagesOf(String html, Path out) throws IOException {
        List<String> sources = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            String src = m.group(1);
            assertFalse(src.contains(":") || src.startsWith("/"), "not a relative path: " + src);
            Path png = out.resolve(src);
            assertTrue(Files.isRegularFile(png), "missing " + src);
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
            assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head, src + " is not a PNG");
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, src);
            assertTrue(img.getWidth() > 0 && img.getHeight() > 0, src);
            sources.add(src);
        }
        return sources;
    }

    static String row(String... cells) {
        StringBuilder b = new StringBuilder("<tr>");
        for (String c : cells) b.append(c.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?") ? "<td class=\"n\">" : "<td>").append(c).append("</td>");
        return b.append("</tr>").toString();
    }

    // ---- test data: 6 patients, one study and series each; p0-p3 train (14 slices), p4-p5 valid (6 slices) ----

    static final int[] SLICES_PER_PATIENT = {4, 4, 4, 2, 3, 3};
    static final String[] MAKERS = {"GE MEDICAL SYSTEMS", "GE MEDICAL SYSTEMS", "SIEMENS", "GE MEDICAL SYSTEMS", "SIEMENS", null};

    static List<Row> labelledRows() {
        // Positives by row: 0 epidural+subdural, 1 intraparenchymal, 2 intraventricular, 3 subarachnoid, 14 subdural.
        Map<Integer, List<String>> positives = Map.of(0, List.of("epidural", "subdural"), 1, List.of("intraparenchymal"),
                2, List.of("intraventricular"), 3, List.of("subarachnoid"), 14, List.of("subdural"));
        List<Row> rows = new ArrayList<>();
        int i = 0;
        for (int p = 0; p < SLICES_PER_PATIENT.length; p++) {
            for (int s = 0; s < SLICES_PER_PATIENT[p]; s++, i++) {
                Map<String, Object> v = base(i, p, s, p < 4 ? "train" : "valid");
                for (String l : SliceTable.LABELS) v.put("label_" + l, 0);
                for (String l : positives.getOrDefault(i, List.of())) {
                    v.put("label_" + l, 1);
                    v.put("label_any", 1);
                }
                rows.add(toRow(v));
            }
        }
        return rows;
    }

    static List<Row> unlabelledRowsWithLeak() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) rows.add(toRow(base(i, i / 2, i % 2, i == 1 ? "test" : "train")));
        return rows;
    }

    static Map<String, Object> base(int i, int patient, int slice, String split) {
        Map<String, Object> v = new HashMap<>();
        v.put("slice_key", "slice-" + i);
        v.put("patient_key", patientKey(patient));
        v.put("study_key", "study-" + patient);
        v.put("series_key", "series-" + patient);
        v.put("slice_index", slice);
        v.put("z_position", 5.0 * slice);
        v.put("instance_number", slice + 1);
        v.put("rows", 512);
        v.put("columns", 512);
        boolean bad = patient == 2;
        v.put("bits_allocated", 16);
        v.put("bits_stored", bad ? 12 : 16);
        v.put("pixel_representation", bad ? 0 : 1);
        v.put("rescale_slope", 1.0);
        v.put("rescale_intercept", bad ? 0.0 : -1024.0);
        v.put("applied_intercept", bad ? -1000.0 : -1024.0);
        v.put("intercept_fixed", bad);
        v.put("modality", "CT");
        v.put("manufacturer", MAKERS[patient]);
        v.put("header_json", "{}");
        v.put("file_key", "file-" + i);
        v.put("file_size", 1000L + i);
        v.put("content_hash", "hash" + i);
        double fraction = brainFraction(i);
        v.put("brain_fraction", fraction);
        v.put("is_empty", fraction < 0.02);
        v.put("split", split);
        v.put("tensor", tensor(i));
        v.put("tensor_channels", 3);
        v.put("tensor_size", SIZE);
        v.put("ingested_at", NOW);
        return v;
    }

    /** Three slices are empty: rows 5 and 9 (train) and 17 (valid). */
    static double brainFraction(int i) {
        return switch (i) {
            case 5 -> 0.0;
            case 9 -> 0.01;
            case 17 -> 0.015;
            default -> 0.05 + 0.04 * i;
        };
    }

    static String patientKey(int p) {
        return "pk" + "0123456789abcdef".repeat(3) + p;
    }

    static byte[] tensor(int row) {
        byte[] t = new byte[3 * SIZE * SIZE];
        for (int c = 0; c < 3; c++) for (int y = 0; y < SIZE; y++) for (int x = 0; x < SIZE; x++) t[(c * SIZE + y) * SIZE + x] = (byte) pixel(row, c, x, y);
        return t;
    }

    static int pixel(int row, int c, int x, int y) {
        return (x * 13 + y * 7 + c * 50 + row * 3) & 0xFF;
    }

    static Row toRow(Map<String, Object> values) {
        Object[] cells = new Object[SliceTable.SCHEMA.length()];
        for (int f = 0; f < cells.length; f++) cells[f] = values.get(SliceTable.SCHEMA.fields()[f].name());
        return RowFactory.create(cells);
    }

    static Row quarantined(String reason, int i) {
        return RowFactory.create("file-bad-" + i, 10L * i, null, reason, "file " + i + ": " + reason, NOW, NOW);
    }
}
