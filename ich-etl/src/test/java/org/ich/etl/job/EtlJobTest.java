package org.ich.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.config.Settings;
import org.ich.dicom.QuarantineReason;
import org.ich.etl.EtlConfig;
import org.ich.spark.IchSpark;
import org.ich.synth.CtEncoding;
import org.ich.synth.CtImageFactory;
import org.ich.synth.TransferSyntax;
import org.ich.testing.CtFixtures;
import org.ich.testing.DicomBytes;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The ETL on Spark local[2] over a synthetic cohort plus a handful of bad files, against real Iceberg tables. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtlJobTest {
    Path dir;
    SyntheticArchive archive;
    SparkSession spark;
    EtlConfig cfg;
    EtlSummary first;
    final Map<String, String> badFiles = new HashMap<>();

    @BeforeAll
    void ingest(@TempDir Path tmp) throws Exception {
        dir = tmp;
        archive = SyntheticArchive.write(dir, 4, "ich.synth.bleed-fraction=1", "ich.synth.bad-intercept-fraction=0.5");
        Path bad = Files.createDirectories(archive.dicom().resolve("incoming/odd"));
        byte[] good = CtFixtures.ct("2.25.900");
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        writeBad(bad.resolve("empty.dcm"), new byte[0], "EMPTY_FILE");
        writeBad(bad.resolve("noise.bin"), noise, "NOT_DICOM");
        writeBad(bad.resolve("cut.dcm"), Arrays.copyOf(good, good.length - 100), "TRUNCATED");
        writeBad(bad.resolve("sr.dcm"), CtFixtures.withoutPixels("2.25.901"), "NO_PIXEL_DATA");
        writeBad(bad.resolve("mr.dcm"), CtFixtures.mr("2.25.902"), "NOT_CT");
        writeBad(bad.resolve("j2k.dcm"), DicomBytes.encapsulatedCt("1.2.840.10008.1.2.4.90", "2.25.903", noise), "UNSUPPORTED_TRANSFER_SYNTAX");
        // The same HU slice written clean and in the RSNA bad-intercept encoding.
        short[] hu = twinHu();
        Files.write(archive.dicom().resolve("incoming/twin-clean"),
                CtFixtures.bytes(CtImageFactory.twin(hu, 64, 64, CtEncoding.SIGNED_16, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, "2.25.910")));
        Files.write(archive.dicom().resolve("incoming/twin-quirk"),
                CtFixtures.bytes(CtImageFactory.twin(hu, 64, 64, CtEncoding.BAD_INTERCEPT, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, "2.25.911")));
        // An exact copy of a good file under another name.
        Path original;
        try (var files = Files.walk(archive.dicom().resolve(archive.cohort().patients().get(0).patientFolder()))) {
            original = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        writeBad(archive.dicom().resolve("incoming/copy-of-a-slice.dcm"), Files.readAllBytes(original), "DUPLICATE");

        Settings settings = TestSettings.under(dir, "ich.etl.input=\"" + archive.dicom().toUri() + "\"",
                "ich.etl.labels=\"" + archive.labels().toUri() + "\"", "ich.etl.size=32");
        cfg = EtlConfig.from(settings);
        spark = IchSpark.session(cfg.common(), "etl-test");
        first = new EtlJob(spark, cfg).run();
    }

    private void writeBad(Path file, byte[] bytes, String reason) throws Exception {
        Files.write(file, bytes);
        badFiles.put(file.toUri().toString().replace("file:///", "file:/"), reason);
    }

    private static short[] twinHu() {
        short[] hu = new short[64 * 64];
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 64; c++) {
                double d = Math.hypot(r - 32, c - 32);
                hu[r * 64 + c] = (short) (d > 28 ? -1000 : d > 25 ? 1200 : d < 6 ? 8 : 35 + (r % 7));
            }
        }
        return hu;
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
    }

    private String fileKey(String uri) {
        return cfg.privacy().pseudonyms().file(uri);
    }

    private String sliceKey(String sopInstanceUid) {
        return cfg.privacy().pseudonyms().slice(sopInstanceUid);
    }

    private long count(String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    @Test
    @Order(1)
    void everyFileEndsInExactlyOneTable() throws Exception {
        long files = archive.fileCount();
        assertEquals(files, first.listed());
        assertEquals(archive.cohort().totalSlices() + 2, first.newSlices());
        assertEquals(badFiles.size(), first.newQuarantined());
        assertEquals(0, first.newWaiting(), "local files are always delivered");
        assertEquals(0, count("SELECT count(*) FROM waiting"));
        assertEquals(files, count("SELECT count(*) FROM slices") + count("SELECT count(*) FROM quarantine"));
        assertEquals(0, count("SELECT count(*) FROM slices s JOIN quarantine q ON s.file_key = q.file_key"));
        assertEquals(files, count("SELECT count(*) FROM " + cfg.privacy().crosswalk().table()), "one crosswalk row per file");
        Map<String, String> reasons = new HashMap<>();
        for (Row r : spark.sql("SELECT file_key, reason, message FROM quarantine").collectAsList()) {
            reasons.put(r.getString(0), r.getString(1));
            assertTrue(r.getString(2).contains(r.getString(0)), "message names the file by its key: " + r.getString(2));
            assertFalse(r.getString(2).contains(dir.toString()), "message names no path: " + r.getString(2));
        }
        // A slice and its exact copy under another name: one of the two (the first by file key) is the duplicate.
        String copy = fileKey(badFiles.keySet().stream().filter(u -> u.endsWith("copy-of-a-slice.dcm")).findFirst().orElseThrow());
        Map<String, String> expected = new HashMap<>();
        badFiles.forEach((uri, reason) -> expected.put(fileKey(uri), reason));
        if (!reasons.containsKey(copy)) {
            expected.remove(copy);
            assertEquals(1, reasons.entrySet().stream().filter(e -> e.getValue().equals("DUPLICATE") && !expected.containsKey(e.getKey())).count());
            reasons.entrySet().removeIf(e -> e.getValue().equals("DUPLICATE"));
        }
        assertEquals(expected, reasons);
    }

    @Test
    @Order(2)
    void labelsAreJoinedPerInstanceWithDuplicatesCollapsed() throws Exception {
        Map<String, Map<String, Integer>> truth = archive.truth();
        assertEquals(0, count("SELECT count(*) FROM (SELECT slice_key FROM slices GROUP BY 1 HAVING count(*) > 1)"));
        String twins = "('" + sliceKey("2.25.910") + "', '" + sliceKey("2.25.911") + "')";
        List<Row> rows = spark.sql("SELECT slice_key, label_any, label_epidural, label_intraparenchymal,"
                + " label_intraventricular, label_subarachnoid, label_subdural FROM slices WHERE slice_key NOT IN " + twins).collectAsList();
        assertEquals(truth.size(), rows.size());
        List<String> unlabelled = spark.sql("SELECT slice_key FROM slices WHERE label_any IS NULL AND slice_key NOT IN " + twins)
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertTrue(unlabelled.isEmpty(), "no labels joined for " + unlabelled + "; truth has e.g. " + truth.keySet().stream().limit(3).toList());
        String[] names = {"any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural"};
        Map<String, Map<String, Integer>> byKey = new HashMap<>();
        truth.forEach((sop, labels) -> byKey.put(sliceKey(sop), labels));
        for (Row r : rows) {
            Map<String, Integer> t = byKey.get(r.getString(0));
            assertNotNull(t, "no labels for " + r.getString(0));
            for (int i = 0; i < names.length; i++) assertEquals(t.get(names[i]), r.getInt(i + 1), names[i] + " of " + r.getString(0));
        }
        assertTrue(count("SELECT count(*) FROM slices WHERE label_any = 1") > 0);
        assertEquals(2, count("SELECT count(*) FROM slices WHERE label_any IS NULL"), "only the twins have no labels");
    }

    @Test
    @Order(3)
    void splitIsPerPatientAndIndexFollowsZ() {
        assertEquals(0, count("SELECT count(*) FROM (SELECT patient_key FROM slices GROUP BY 1 HAVING count(DISTINCT split) > 1)"));
        assertEquals(0, count("SELECT count(*) FROM (SELECT series_key FROM slices GROUP BY 1"
                + " HAVING min(slice_index) <> 0 OR max(slice_index) <> count(*) - 1 OR count(DISTINCT slice_index) <> count(*))"));
        assertEquals(0, count("SELECT count(*) FROM slices a JOIN slices b ON a.series_key = b.series_key"
                + " AND a.slice_index < b.slice_index AND a.z_position > b.z_position"));
    }

    @Test
    @Order(4)
    void quirkTwinDecodesToTheSameTensorAsItsCleanTwin() {
        List<Row> twins = spark.sql("SELECT slice_key = '" + sliceKey("2.25.911") + "' AS quirk, intercept_fixed, applied_intercept,"
                + " brain_fraction, tensor FROM slices WHERE slice_key IN ('" + sliceKey("2.25.910") + "', '" + sliceKey("2.25.911")
                + "') ORDER BY 1").collectAsList();
        assertEquals(2, twins.size());
        assertFalse(twins.get(0).getBoolean(1));
        assertTrue(twins.get(1).getBoolean(1));
        assertEquals(-1000.0, twins.get(1).getDouble(2));
        assertEquals(twins.get(0).getDouble(3), twins.get(1).getDouble(3));
        assertArrayEquals((byte[]) twins.get(0).get(4), (byte[]) twins.get(1).get(4));
        assertTrue(count("SELECT count(*) FROM slices WHERE intercept_fixed AND bits_stored = 12") > 1, "the cohort has a bad-intercept series");
    }

    @Test
    @Order(5)
    void nearEmptySlicesAreFlaggedAndTensorsAreDescribed() {
        assertTrue(count("SELECT count(*) FROM slices WHERE is_empty") > 0);
        assertEquals(0, count("SELECT count(*) FROM slices WHERE is_empty <> (brain_fraction < 0.02)"));
        assertEquals(0, count("SELECT count(*) FROM slices WHERE length(tensor) <> 3 * 32 * 32 OR tensor_size <> 32 OR tensor_channels <> 3"));
        Map<String, String> props = EtlTables.properties(spark, cfg.common().table("slices"));
        assertEquals("CHW", props.get(EtlTables.PROP_LAYOUT));
        assertEquals("uint8", props.get(EtlTables.PROP_DTYPE));
        assertEquals("brain:40:80,subdural:80:200,bone:600:2800", props.get(EtlTables.PROP_WINDOWS));
        assertEquals("32", props.get(EtlTables.PROP_SIZE));
    }

    @Test
    @Order(6)
    void noSyntheticIdentifierReachesAnyColumn() {
        List<String> columns = Arrays.stream(spark.table("slices").schema().fields())
                .filter(f -> f.dataType().typeName().equals("string")).map(f -> f.name()).toList();
        String all = String.join(" || '|' || ", columns.stream().map(c -> "coalesce(" + c + ", '')").toList());
        List<String> text = spark.sql("SELECT " + all + " FROM slices").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        String q = String.join("\n", spark.sql("SELECT concat_ws('|', file_key, content_hash, message) FROM quarantine")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        for (String phi : archive.cohort().identifyingStrings()) {
            for (String row : text) assertFalse(row.contains(phi), "'" + phi + "' leaked into slices: " + row);
            assertFalse(q.contains(phi), "'" + phi + "' leaked into quarantine");
        }
        for (String row : text) assertFalse(row.contains(dir.toString()), "a path leaked into slices: " + row);
        assertFalse(q.contains(dir.toString()), "a path leaked into quarantine: " + q);
        // header_json: coded and numeric attributes only, so no UID (the twins' are 2.25.91x) and no free text.
        assertEquals(0, count("SELECT count(*) FROM slices WHERE header_json LIKE '%2.25.%' OR header_json LIKE '%ProtocolName%'"
                + " OR header_json LIKE '%SOPInstanceUID%' OR header_json LIKE '%SoftwareVersions%'"));
    }

    @Test
    @Order(7)
    void theCrosswalkHoldsTheOriginalsAndJoinsByKey() {
        String crosswalk = cfg.privacy().crosswalk().table();
        assertFalse(crosswalk.startsWith(cfg.common().catalog() + "."), "the crosswalk is in a catalog of its own");
        assertEquals(0, count("SELECT count(*) FROM slices s LEFT ANTI JOIN " + crosswalk + " c ON s.slice_key = c.slice_key"
                + " AND s.file_key = c.file_key AND s.patient_key = c.patient_key AND s.series_key = c.series_key"));
        assertEquals(archive.cohort().totalSlices() + 2, count("SELECT count(DISTINCT sop_instance_uid) FROM " + crosswalk
                + " WHERE sop_instance_uid IS NOT NULL AND slice_key IS NOT NULL"));
        String cut = badFiles.keySet().stream().filter(u -> u.endsWith("cut.dcm")).findFirst().orElseThrow();
        assertEquals(fileKey(cut), spark.sql("SELECT file_key FROM " + crosswalk + " WHERE source_uri = '" + cut + "'").first().getString(0));
        for (var patient : archive.cohort().patients()) {
            assertTrue(count("SELECT count(*) FROM " + crosswalk + " WHERE patient_id = '" + patient.phi().patientId() + "'"
                    + " AND accession_number = '" + patient.phi().accessionNumber() + "'"
                    + " AND source_uri LIKE '%/" + patient.patientFolder() + "/%'") > 0, "the crosswalk holds " + patient.patientFolder());
        }
    }

    @Test
    @Order(8)
    void rerunAddsNothingAndANewFileAddsOne() throws Exception {
        long slices = count("SELECT count(*) FROM slices"), quarantined = count("SELECT count(*) FROM quarantine");
        EtlSummary again = new EtlJob(spark, cfg).run();
        assertEquals(0, again.newSlices());
        assertEquals(0, again.newQuarantined());
        assertEquals(slices, count("SELECT count(*) FROM slices"));
        assertEquals(quarantined, count("SELECT count(*) FROM quarantine"));

        Files.write(archive.dicom().resolve("incoming/late-arrival.dcm"), CtFixtures.ct("2.25.920"));
        EtlSummary third = new EtlJob(spark, cfg).run();
        assertEquals(1, third.newSlices());
        assertEquals(slices + 1, count("SELECT count(*) FROM slices"));
        assertEquals(quarantined, count("SELECT count(*) FROM quarantine"));
    }

    @Test
    @Order(9)
    void aFixedFileLeavesQuarantineWhenItDecodes() throws Exception {
        Path cut = archive.dicom().resolve("incoming/odd/cut.dcm");
        Files.write(cut, CtFixtures.ct("2.25.930"));
        new EtlJob(spark, cfg).run();
        String uri = cut.toUri().toString().replace("file:///", "file:/");
        assertEquals(1, count("SELECT count(*) FROM slices WHERE file_key = '" + fileKey(uri) + "'"));
        assertEquals(0, count("SELECT count(*) FROM quarantine WHERE file_key = '" + fileKey(uri) + "'"));
    }

    @Test
    @Order(10)
    void showPathsListsTheQuarantinedFilesFromTheCrosswalk() {
        var buffer = new java.io.ByteArrayOutputStream();
        long n = QuarantinePaths.print(spark, cfg.common(), cfg.privacy().crosswalk(), new java.io.PrintStream(buffer, true));
        String listed = buffer.toString();
        assertEquals(count("SELECT count(*) FROM quarantine"), n);
        for (String uri : badFiles.keySet()) {
            if (uri.endsWith("cut.dcm") || uri.endsWith("copy-of-a-slice.dcm")) continue; // fixed since / maybe the kept twin
            assertTrue(listed.contains(fileKey(uri) + "\t" + badFiles.get(uri)) && listed.contains(uri), uri + " in\n" + listed);
        }
    }

    @Test
    @Order(11)
    void aRunUnderAnotherKeyIsRefusedAndWritesNothing() throws Exception {
        long slices = count("SELECT count(*) FROM slices"), crosswalk = count("SELECT count(*) FROM " + cfg.privacy().crosswalk().table());
        Files.write(archive.dicom().resolve("incoming/under-another-key.dcm"), CtFixtures.ct("2.25.940"));
        Settings other = TestSettings.under(dir, Map.of("ICH_PSEUDONYM_KEY", "another-key-of-the-hospital"),
                "ich.etl.input=\"" + archive.dicom().toUri() + "\"", "ich.etl.size=32");
        UserError e = assertThrows(UserError.class, () -> new EtlJob(spark, EtlConfig.from(other)).run());
        assertTrue(e.getMessage().contains(cfg.privacy().keyId()) && e.getMessage().contains(EtlConfig.from(other).privacy().keyId()),
                e.getMessage());
        assertFalse(e.getMessage().contains("another-key-of-the-hospital"), "the key itself is never printed");
        assertEquals(slices, count("SELECT count(*) FROM slices"));
        assertEquals(crosswalk, count("SELECT count(*) FROM " + cfg.privacy().crosswalk().table()));
    }

    @Test
    @Order(12)
    void aFileRewrittenInPlaceIsReadAgainAndItsOldRowReplaced() throws Exception {
        Path file = archive.dicom().resolve("incoming/rewritten.dcm");
        Files.write(file, CtFixtures.ct("2.25.961"));
        new EtlJob(spark, cfg).run();
        String key = fileKey(file.toUri().toString().replace("file:///", "file:/"));
        long slices = count("SELECT count(*) FROM slices"), quarantined = count("SELECT count(*) FROM quarantine");
        assertEquals(sliceKey("2.25.961"), spark.sql("SELECT slice_key FROM slices WHERE file_key = '" + key + "'").first().getString(0));

        // Another instance in the same number of bytes: only the modification time tells the file changed.
        byte[] other = CtFixtures.ct("2.25.962");
        assertEquals(Files.size(file), other.length);
        Files.write(file, other);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        EtlSummary rewritten = new EtlJob(spark, cfg).run();
        assertEquals(1, rewritten.newSlices());
        assertEquals(List.of(sliceKey("2.25.962")), spark.sql("SELECT slice_key FROM slices WHERE file_key = '" + key + "'")
                .collectAsList().stream().map(r -> r.getString(0)).toList(), "the old instance's row is replaced, not kept beside");
        assertEquals(slices, count("SELECT count(*) FROM slices"));

        // Rewritten into something that is no DICOM: out of slices, into quarantine.
        byte[] junk = new byte[other.length];
        new Random(9).nextBytes(junk);
        Files.write(file, junk);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 120_000));
        new EtlJob(spark, cfg).run();
        assertEquals(0, count("SELECT count(*) FROM slices WHERE file_key = '" + key + "'"));
        assertEquals("NOT_DICOM", spark.sql("SELECT reason FROM quarantine WHERE file_key = '" + key + "'").first().getString(0));
        assertEquals(slices - 1, count("SELECT count(*) FROM slices"));
        assertEquals(quarantined + 1, count("SELECT count(*) FROM quarantine"));
    }

    @Test
    @Order(13)
    void aFileOverTheSizeCapIsQuarantinedUnreadAndARetryByReasonMovesItToSlices() throws Exception {
        Path file = archive.dicom().resolve("incoming/over-the-cap.dcm");
        Files.write(file, CtFixtures.ct("2.25.970"));
        String key = fileKey(file.toUri().toString().replace("file:///", "file:/"));
        EtlConfig capped = EtlConfig.from(TestSettings.under(dir, "ich.etl.input=\"" + archive.dicom().toUri() + "\"",
                "ich.etl.labels=\"" + archive.labels().toUri() + "\"", "ich.etl.size=32", "ich.etl.max-file-bytes=100"));
        new EtlJob(spark, capped).run();
        Row q = spark.sql("SELECT reason, content_hash, message FROM quarantine WHERE file_key = '" + key + "'").first();
        assertEquals("TOO_LARGE", q.getString(0));
        assertTrue(q.isNullAt(1), "not read, so not hashed");
        assertTrue(q.getString(2).contains("ich.etl.max-file-bytes"), q.getString(2));

        EtlSummary plain = new EtlJob(spark, cfg).run();
        assertEquals(0, plain.newSlices(), "a quarantined file is not read again by a plain run");
        EtlSummary retried = new EtlJob(spark, cfg).retryingQuarantined(java.util.Set.of(QuarantineReason.TOO_LARGE,
                QuarantineReason.NOT_CT)).run();
        assertEquals(1, retried.newSlices());
        assertEquals(1, count("SELECT count(*) FROM slices WHERE file_key = '" + key + "'"));
        assertEquals(0, count("SELECT count(*) FROM quarantine WHERE file_key = '" + key + "'"));
        assertEquals(1, count("SELECT count(*) FROM quarantine WHERE reason = 'NOT_CT'"), "read again, still NOT_CT, still once");
        assertEquals(0, count("SELECT count(*) FROM slices s JOIN quarantine q ON s.file_key = q.file_key"));
    }
}
