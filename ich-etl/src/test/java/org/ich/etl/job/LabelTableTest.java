package org.ich.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.etl.EtlConfig;
import org.ich.etl.LabelAudit;
import org.ich.spark.IchSpark;
import org.ich.testing.CtFixtures;
import org.ich.testing.SyntheticArchive;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The label CSV on Spark local[2]: a synthetic cohort's file with bad rows of every kind spread over both of its
 * partitions, read directly and by the ETL, then a file with too many of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelTableTest {
    Path dir;
    SyntheticArchive archive;
    SparkSession spark;
    EtlConfig cfg;
    Path csv;
    /** line number -> problem, in file order. */
    final Map<Long, String> expectedBad = new LinkedHashMap<>();
    long dataRows;

    @BeforeAll
    void writeCohortAndABrokenCsv(@TempDir Path tmp) throws Exception {
        dir = tmp;
        archive = SyntheticArchive.write(dir, 2, "ich.synth.bleed-fraction=1");
        List<String> good = Files.readAllLines(archive.labels());
        String sop = archive.truth().keySet().iterator().next();
        int n = good.size() - 1;
        Map<Integer, List<Extra>> inserts = new HashMap<>(); // after data row i
        inserts.put(3, List.of(new Extra("ID_" + sop + ",1", "ID is not ID_<SOPInstanceUID>_<label>")));
        inserts.put(10, List.of(new Extra("ID_" + sop + "_any,1,0", "3 fields, expected 2")));
        inserts.put(15, List.of(new Extra("", null), new Extra("   ", null)));
        inserts.put(20, List.of(new Extra("ID_" + sop + "_epidurall,0", "unknown label \"epidurall\"")));
        inserts.put(n / 2 + 5, List.of(new Extra("ID_" + sop + "_any,2", "label value \"2\" is not 0 or 1")));
        inserts.put(n / 2 + 10, List.of(new Extra("ID_" + sop + "_subdural,x", "label value \"x\" is not 0 or 1")));
        inserts.put(n - 3, List.of(new Extra("ID_" + sop + "_any;1", "1 field, expected 2")));
        List<String> lines = new ArrayList<>(List.of(good.get(0)));
        for (int i = 1; i <= n; i++) {
            // Quoted fields and CRLF line ends, as spreadsheets write them, are good rows too.
            String row = good.get(i);
            lines.add(i == 30 ? "\"" + row.replace(",", "\",\"") + "\"" : i % 2 == 0 ? row + "\r" : row);
            for (Extra extra : inserts.getOrDefault(i, List.of())) {
                lines.add(extra.line());
                if (extra.problem() != null) expectedBad.put((long) lines.size(), extra.problem());
            }
        }
        lines.add(good.get(1)); // a duplicate, legitimate
        dataRows = lines.stream().filter(l -> !l.isBlank()).count() - 1;
        csv = dir.resolve("labels-with-bad-rows.csv");
        Files.writeString(csv, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

        cfg = EtlConfig.from(settings(csv, "ich.etl.labels-max-bad-share=0.1"));
        spark = IchSpark.session(cfg.common(), "label-table-test");
    }

    /** A line added to the file and the problem it should be reported with (null: a blank line, not reported). */
    private record Extra(String line, String problem) {}

    private org.ich.config.Settings settings(Path labels, String... more) {
        List<String> all = new ArrayList<>(List.of("ich.etl.input=\"" + archive.dicom().toUri() + "\"",
                "ich.etl.labels=\"" + labels.toUri() + "\"", "ich.etl.size=32"));
        all.addAll(List.of(more));
        return TestSettings.under(dir, all.toArray(String[]::new));
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
    }

    private long count(String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    private void assertNoUid(String text) throws Exception {
        for (String sop : archive.truth().keySet()) assertFalse(text.contains(sop), "a SOPInstanceUID printed: " + text);
        for (String phi : archive.cohort().identifyingStrings()) assertFalse(text.contains(phi), "'" + phi + "' printed: " + text);
    }

    @Test
    @Order(1)
    void badRowsAreCountedAndTheFirstFiveReportedByLineNumber() throws Exception {
        assertTrue(spark.sparkContext().textFile(csv.toUri().toString(), 2).getNumPartitions() > 1, "numbering crosses partitions");
        LabelTable.Labels labels = LabelTable.read(spark, csv.toUri(), cfg.privacy().pseudonyms());
        try {
            assertEquals(dataRows, labels.rows(), "blank lines are not rows");
            assertEquals(6, labels.bad());
            List<LabelAudit.BadLine> expected = new ArrayList<>();
            expectedBad.forEach((line, problem) -> expected.add(new LabelAudit.BadLine(line, problem)));
            assertEquals(expected.subList(0, LabelAudit.SHOWN), labels.firstBad());
            assertEquals(archive.truth().size(), labels.bySlice().count(), "one row per slice, duplicates collapsed");
            assertNoUid(labels.firstBad().toString());
        } finally {
            labels.release();
        }
    }

    @Test
    @Order(2)
    void theEtlSkipsBadRowsWithAWarningAndTheGoodLabelsReachTheSlices() throws Exception {
        var buffer = new ByteArrayOutputStream();
        EtlSummary summary = new EtlJob(spark, cfg, new PrintStream(buffer, true)).run();
        String out = buffer.toString();
        assertEquals(archive.cohort().totalSlices(), summary.newSlices());
        assertTrue(out.contains("etl: warning: 6 of " + dataRows + " rows of the label CSV " + csv.toUri() + " are bad"), out);
        List<String> first = expectedBad.entrySet().stream().limit(5).map(e -> "line " + e.getKey() + ": " + e.getValue()).toList();
        assertTrue(out.contains("the first 5: " + String.join("; ", first)), out);
        assertNoUid(out);

        Map<String, Map<String, Integer>> truth = archive.truth();
        String[] names = {"any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural"};
        List<Row> rows = spark.sql("SELECT slice_key, label_any, label_epidural, label_intraparenchymal, label_intraventricular,"
                + " label_subarachnoid, label_subdural FROM slices").collectAsList();
        assertEquals(truth.size(), rows.size());
        Map<String, Map<String, Integer>> byKey = new HashMap<>();
        truth.forEach((sop, labels) -> byKey.put(cfg.privacy().pseudonyms().slice(sop), labels));
        for (Row r : rows) {
            Map<String, Integer> t = byKey.get(r.getString(0));
            assertNotNull(t, "no labels for " + r.getString(0));
            for (int i = 0; i < names.length; i++) {
                assertFalse(r.isNullAt(i + 1), names[i] + " of " + r.getString(0) + " is null");
                assertEquals(t.get(names[i]), r.getInt(i + 1), names[i] + " of " + r.getString(0));
            }
        }
        assertTrue(count("SELECT count(*) FROM slices WHERE label_any = 1") > 0);
    }

    @Test
    @Order(3)
    void aCsvOverTheShareStopsTheRunBeforeAnythingIsCommitted() throws Exception {
        long slices = count("SELECT count(*) FROM slices"), quarantine = count("SELECT count(*) FROM quarantine");
        long crosswalk = count("SELECT count(*) FROM " + cfg.privacy().crosswalk().table());
        Files.write(archive.dicom().resolve("late-arrival.dcm"), CtFixtures.ct("2.25.950"));
        EtlConfig strict = EtlConfig.from(settings(csv));
        assertEquals(0.001, strict.labelsMaxBadShare(), "the default");
        var buffer = new ByteArrayOutputStream();
        UserError e = assertThrows(UserError.class, () -> new EtlJob(spark, strict, new PrintStream(buffer, true)).run());
        String message = e.getMessage();
        assertTrue(message.contains("ich.etl.labels-max-bad-share") && message.contains(csv.toUri().toString()), message);
        assertTrue(message.contains("6 of " + dataRows + " rows"), message);
        long firstLine = expectedBad.keySet().iterator().next();
        assertTrue(message.contains("line " + firstLine + ": ID is not ID_<SOPInstanceUID>_<label>"), message);
        assertNoUid(message + buffer);
        assertFalse(buffer.toString().contains("files under"), "stopped before listing or decoding: " + buffer);
        assertEquals(slices, count("SELECT count(*) FROM slices"));
        assertEquals(quarantine, count("SELECT count(*) FROM quarantine"));
        assertEquals(crosswalk, count("SELECT count(*) FROM " + cfg.privacy().crosswalk().table()));
    }

    @Test
    @Order(4)
    void aFileWithoutItsHeaderAFolderOrNoFileIsRefusedWithoutQuotingIt() throws Exception {
        Path headless = dir.resolve("headless.csv");
        List<String> good = Files.readAllLines(archive.labels());
        Files.write(headless, good.subList(1, good.size()));
        UserError e = assertThrows(UserError.class, () -> LabelTable.read(spark, headless.toUri(), cfg.privacy().pseudonyms()));
        assertTrue(e.getMessage().contains("line 1 of " + headless.toUri() + " is not the header ID,Label"), e.getMessage());
        assertNoUid(e.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        e = assertThrows(UserError.class, () -> LabelTable.read(spark, empty.toUri(), cfg.privacy().pseudonyms()));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        Path folder = Files.createDirectories(dir.resolve("labels-folder"));
        e = assertThrows(UserError.class, () -> LabelTable.read(spark, folder.toUri(), cfg.privacy().pseudonyms()));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        e = assertThrows(UserError.class, () -> LabelTable.read(spark, dir.resolve("missing.csv").toUri(), cfg.privacy().pseudonyms()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
