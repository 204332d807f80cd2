package org.ich.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.PrivacyConfig;
import org.ich.testing.CtFixtures;
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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ich migrate on a warehouse laid out as before the PHI boundary (original UIDs and paths in the tables), made from
 * what today's ETL reads out of real DICOM files, so the migrated keys can be compared with the ETL's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PhiMigrationTest {
    static final String MARKER = "DOE-JANE-MRN4711";
    Path dir;
    SparkSession spark;
    EtlConfig fresh, legacy;
    final List<String> uids = List.of("2.25.7001", "2.25.7002", "2.25.7003");
    final List<String> uris = new ArrayList<>();
    String emptyUri;

    @BeforeAll
    void buildALegacyWarehouse(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Path folder = Files.createDirectories(dir.resolve("dicom/" + MARKER));
        for (String uid : uids) Files.write(folder.resolve(uid + ".dcm"), CtFixtures.ct(uid));
        Files.write(folder.resolve("empty-" + MARKER + ".dcm"), new byte[0]);
        String input = "ich.etl.input=\"" + dir.resolve("dicom").toUri() + "\"";
        fresh = EtlConfig.from(TestSettings.under(dir, input, "ich.etl.size=32", "ich.namespace=fresh"));
        legacy = EtlConfig.from(TestSettings.under(dir, input, "ich.etl.size=32", "ich.namespace=old",
                "ich.privacy.crosswalk.namespace=phi_old"));
        spark = IchSpark(fresh.common());
        new EtlJob(spark, fresh).run();
        String crosswalk = fresh.privacy().crosswalk().table();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                String uri = spark.sql("SELECT source_uri FROM " + crosswalk + " WHERE source_uri LIKE '%" + f.getFileName() + "'")
                        .first().getString(0);
                if (Files.size(f) == 0) emptyUri = uri; else uris.add(uri);
            }
        }
        // The old layout: the UID and the path where the keys are now, an unkeyed content hash, the UID in header_json.
        spark.sql("CREATE NAMESPACE IF NOT EXISTS ich.old");
        List<String> columns = new ArrayList<>();
        for (String c : SliceTable.SCHEMA.fieldNames()) {
            switch (c) {
                case "slice_key" -> columns.add("c.sop_instance_uid");
                case "file_key" -> columns.add("c.source_uri");
                case "software_versions" -> { }
                case "content_hash" -> columns.add("h.sha256 AS content_hash");
                case "header_json" -> columns.add("concat('{\"SOPInstanceUID\":\"', c.sop_instance_uid,"
                        + " '\",\"ProtocolName\":\"HEAD " + MARKER + "\",', substr(s.header_json, 2)) AS header_json");
                default -> columns.add("s." + c);
            }
        }
        List<Row> hashes = new ArrayList<>();
        for (String uri : uris) hashes.add(RowFactory.create(uri, sha256(Files.readAllBytes(Path.of(java.net.URI.create(uri))))));
        spark.createDataFrame(hashes, new StructType().add("uri", DataTypes.StringType).add("sha256", DataTypes.StringType))
                .createOrReplaceTempView("hashes");
        spark.sql("CREATE TABLE ich.old.slices USING iceberg PARTITIONED BY (split) AS SELECT " + String.join(", ", columns)
                + " FROM ich.fresh.slices s JOIN " + crosswalk + " c ON s.file_key = c.file_key JOIN hashes h ON h.uri = c.source_uri");
        spark.sql("CREATE TABLE ich.old.quarantine USING iceberg AS SELECT '" + emptyUri + "' AS source_uri, file_size,"
                + " CAST(NULL AS STRING) AS content_hash, reason, '" + emptyUri + ": empty file' AS message, first_seen FROM ich.fresh.quarantine");
        spark.sql("CREATE TABLE ich.old.predictions USING iceberg PARTITIONED BY (days(scored_at), model_version) AS SELECT"
                + " c.sop_instance_uid, 'v0001' AS model_version, current_timestamp() AS scored_at, 0.25D AS p_any, c.source_uri FROM ich.fresh.slices s JOIN " + crosswalk
                + " c ON s.file_key = c.file_key");
        spark.sql("CREATE TABLE ich.old.study_predictions USING iceberg AS SELECT s.study_key, 'v0001' AS model_version,"
                + " max(c.sop_instance_uid) AS top_slice_any, 0 AS top_slice_index_any FROM ich.fresh.slices s JOIN "
                + crosswalk + " c ON s.file_key = c.file_key GROUP BY s.study_key");
    }

    private static SparkSession IchSpark(CommonConfig common) {
        return org.ich.spark.IchSpark.session(common, "migrate-test");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
    }

    private long count(String sql) {
        return spark.sql(sql).first().getLong(0);
    }

    @Test
    @Order(1)
    void jobsRefuseALegacyWarehouseNamingTheFix() {
        UserError e = assertThrows(UserError.class, () -> new EtlJob(spark, legacy).run());
        assertTrue(e.getMessage().contains("ich migrate"), e.getMessage());
        assertFalse(e.getMessage().contains(MARKER), e.getMessage());
        assertFalse(spark.catalog().tableExists(legacy.privacy().crosswalk().table()), "a refused run writes nothing");
    }

    @Test
    @Order(2)
    void migrationUnderAnotherKeyIsRefused() {
        PrivacyConfig other = PrivacyConfig.from(TestSettings.under(dir, Map.of("ICH_PSEUDONYM_KEY", "not-the-key-that-wrote-it"),
                "ich.namespace=old", "ich.privacy.crosswalk.namespace=phi_old"));
        UserError e = assertThrows(UserError.class, () -> new PhiMigration(spark, legacy.common(), other, System.out).run());
        assertTrue(e.getMessage().contains("another pseudonym key"), e.getMessage());
        assertTrue(LegacyLayout.isLegacy(spark, "ich.old.slices"), "nothing was rewritten");
        assertFalse(spark.catalog().tableExists(legacy.privacy().crosswalk().table()), "nor moved");
    }

    @Test
    @Order(3)
    void migrationKeysEveryTableAsTheEtlWouldAndMovesTheOriginals() {
        PhiMigration.Result result = new PhiMigration(spark, legacy.common(), legacy.privacy(), System.out).run();
        assertEquals(4, result.migrated().size(), result.toString());
        assertEquals(4, result.crosswalkRows(), "three slices and one quarantined file");
        for (String t : List.of("slices", "quarantine", "predictions", "study_predictions")) {
            assertFalse(LegacyLayout.isLegacy(spark, "ich.old." + t), t);
            assertEquals(1, count("SELECT count(*) FROM ich.old." + t + ".snapshots"), t + ": older snapshots expired");
            for (String column : spark.table("ich.old." + t).schema().fieldNames()) {
                if (!spark.table("ich.old." + t).schema().apply(column).dataType().equals(DataTypes.StringType)) continue;
                for (String phi : Stream.concat(Stream.of(MARKER), uids.stream()).toList()) {
                    assertEquals(0, count("SELECT count(*) FROM ich.old." + t + " WHERE " + column + " LIKE '%" + phi + "%'"),
                            phi + " in " + t + "." + column);
                }
            }
        }
        // The keys, the keyed hash and the cut header_json are what today's ETL writes for the same files.
        assertEquals(3, count("SELECT count(*) FROM ich.old.slices o JOIN ich.fresh.slices f ON o.slice_key = f.slice_key"
                + " AND o.file_key = f.file_key AND o.content_hash = f.content_hash AND o.header_json = f.header_json"
                + " AND o.split = f.split"));
        assertEquals(3, count("SELECT count(*) FROM ich.old.predictions p JOIN ich.fresh.slices f ON p.slice_key = f.slice_key"
                + " AND p.file_key = f.file_key"));
        assertEquals(count("SELECT count(DISTINCT study_key) FROM ich.fresh.slices"), count("SELECT count(*) FROM"
                + " ich.old.study_predictions p JOIN ich.fresh.slices f ON p.top_slice_key_any = f.slice_key"));
        assertEquals("[scored_at_day, model_version]", loaded("ich.old.predictions").spec().fields().stream()
                .map(f -> f.name()).toList().toString(), "the partitioning is kept");
        assertEquals(legacy.privacy().keyId(), EtlTables.properties(spark, "ich.old.slices").get(EtlTables.PROP_KEY_ID));
        String message = spark.sql("SELECT message FROM ich.old.quarantine").first().getString(0);
        assertTrue(message.startsWith("file " + legacy.privacy().pseudonyms().file(emptyUri)), message);
        String crosswalk = legacy.privacy().crosswalk().table();
        for (int i = 0; i < uids.size(); i++) {
            assertEquals(1, count("SELECT count(*) FROM " + crosswalk + " WHERE sop_instance_uid = '" + uids.get(i) + "'"
                    + " AND slice_key = '" + legacy.privacy().pseudonyms().slice(uids.get(i)) + "'"));
        }
        assertEquals(1, count("SELECT count(*) FROM " + crosswalk + " WHERE source_uri = '" + emptyUri + "'"));
    }

    @Test
    @Order(4)
    void aSecondMigrationFindsNothingAndTheEtlRunsAgain() {
        assertTrue(new PhiMigration(spark, legacy.common(), legacy.privacy(), System.out).run().migrated().isEmpty());
        EtlSummary summary = new EtlJob(spark, legacy).run();
        assertEquals(0, summary.newSlices() + summary.newQuarantined(), "every file is known by its key");
        assertEquals(3, count("SELECT count(*) FROM ich.old.slices"));
    }

    private org.apache.iceberg.Table loaded(String table) {
        try {
            return org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark, table);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
