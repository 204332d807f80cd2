package org.ich.etl.job;

import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.CreateTableWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.dicom.DicomObject;
import org.ich.dicom.PixelMedDicom;
import org.ich.etl.HeaderJson;
import org.ich.etl.PathScrub;
import org.ich.etl.PrivacyConfig;
import org.ich.etl.Pseudonyms;
import org.ich.spark.RunCheckpoints;
import org.ich.spark.Storage;

import java.io.PrintStream;
import java.net.URI;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.*;

/**
 * {@code ich migrate}: a warehouse written before the PHI boundary, brought across it. The originals
 * ({@code sop_instance_uid}, {@code source_uri}) move into the crosswalk first, then every table of the namespace that
 * still holds them is rewritten with keys in their place ({@code slice_key}, {@code file_key}, {@code top_slice_key_*},
 * a keyed {@code content_hash}, a {@code header_json} cut to coded and numeric attributes), and its older snapshots are
 * expired so the files that held the originals are deleted. Each step is idempotent: a killed migration is rerun.
 */
public final class PhiMigration {
    private static final Pattern TOP_SLICE = Pattern.compile("top_slice_(?!index_|key_)(.+)");
    private static final Pattern SOP_IN_TEXT = Pattern.compile("SOPInstanceUID [0-9.]+");

    private final SparkSession spark;
    private final CommonConfig common;
    private final PrivacyConfig privacy;
    private final PrintStream out;
    private final UserDefinedFunction sliceKey, fileKey, contentKey, header, scrub;

    /** @param migrated the tables rewritten; {@code crosswalkRows} how many files the crosswalk then holds */
    public record Result(List<String> migrated, long crosswalkRows) {}

    public PhiMigration(SparkSession spark, CommonConfig common, PrivacyConfig privacy, PrintStream out) {
        this.spark = spark;
        this.common = common;
        this.privacy = privacy;
        this.out = out;
        Pseudonyms p = privacy.pseudonyms();
        sliceKey = udf((UDF1<String, String>) v -> v == null ? null : p.slice(v), DataTypes.StringType).withName("ich_slice_key");
        fileKey = udf((UDF1<String, String>) v -> v == null ? null : p.file(v), DataTypes.StringType).withName("ich_file_key");
        contentKey = udf((UDF1<String, String>) v -> v == null ? null : p.content(v), DataTypes.StringType).withName("ich_content_key");
        header = udf((UDF1<String, String>) v -> v == null ? "{}" : HeaderJson.deidentified(v), DataTypes.StringType)
                .withName("ich_header_json");
        scrub = udf((UDF3<String, String, String, String>) (message, uri, key) -> message == null ? null
                : SOP_IN_TEXT.matcher(PathScrub.scrub(message, uri, "file " + key)).replaceAll("its slice"), DataTypes.StringType)
                .withName("ich_scrub_message");
    }

    public Result run() {
        List<String> legacy = new ArrayList<>();
        for (Row r : spark.sql("SHOW TABLES IN " + common.catalog() + "." + common.namespace()).collectAsList()) {
            String table = common.table(r.getAs("tableName"));
            if (LegacyLayout.isLegacy(spark, table)) legacy.add(table);
        }
        if (legacy.isEmpty()) {
            out.println("migrate: nothing to migrate: no table of " + common.catalog() + "." + common.namespace()
                    + " holds original identifiers");
            return new Result(List.of(), 0);
        }
        String slices = common.table(SliceTable.NAME), quarantine = common.table(QuarantineTable.NAME);
        if (legacy.contains(slices)) checkKeyAgainstASource(slices);
        String crosswalk = CrosswalkTable.ensure(spark, privacy);
        // Originals first: once a table is rewritten they exist only in the crosswalk.
        if (legacy.contains(slices)) moveOriginals(crosswalk, originalsOfSlices(slices));
        if (legacy.contains(quarantine)) moveOriginals(crosswalk, originalsOfQuarantine(quarantine));
        RunCheckpoints checkpoints = new RunCheckpoints(spark, common.warehouse(), "migrate");
        for (String table : legacy) {
            Dataset<Row> keyed = table.equals(slices) ? keyedSlices(table)
                    : table.equals(quarantine) ? keyedQuarantine(table) : keyedColumns(table);
            long rows = replace(table, checkpoints.save(keyed));
            out.printf("migrate: %s: %d rows keyed, original identifiers moved to %s%n", table, rows, crosswalk);
        }
        checkpoints.drop(out);
        return new Result(legacy, spark.table(crosswalk).count());
    }

    /**
     * The key must be the one that made the tables' patient keys, or migrated slices would never join new ones. One
     * slice's file is read again and its patient key recomputed; a file that is gone leaves the check undone, said so.
     */
    private void checkKeyAgainstASource(String slices) {
        List<Row> one = spark.table(slices).select("source_uri", "patient_key").limit(1).collectAsList();
        if (one.isEmpty()) return;
        String uri = one.get(0).getString(0);
        DicomObject dicom;
        try {
            dicom = PixelMedDicom.read(Storage.of(common).readAll(URI.create(uri)), "a slice's file");
        } catch (Exception e) {
            out.println("migrate: could not re-read a slice's file to check the key (" + e.getClass().getSimpleName()
                    + "); make sure " + privacy.crosswalk() + " is migrated with the key that wrote the tables");
            return;
        }
        String patientId = dicom.string("PatientID");
        String recomputed = privacy.pseudonyms().patient(patientId == null ? "unknown" : patientId);
        if (!recomputed.equals(one.get(0).getString(1))) {
            throw new UserError(slices + " was written under another pseudonym key than this run's (key id " + privacy.keyId()
                    + "): a slice's file re-read gives another patient_key. Run ich migrate with the key that wrote the"
                    + " tables (ich.privacy.pseudonym-key-env names its environment variable)");
        }
    }

    private Dataset<Row> originalsOfSlices(String slices) {
        return spark.table(slices).select(fileKey.apply(col("source_uri")).as("file_key"), col("source_uri"), col("file_size"),
                sliceKey.apply(col("sop_instance_uid")).as("slice_key"), col("sop_instance_uid"),
                lit(null).cast("string").as("series_instance_uid"), lit(null).cast("string").as("study_instance_uid"),
                lit(null).cast("string").as("patient_id"), lit(null).cast("string").as("accession_number"),
                col("patient_key"), col("study_key"), col("series_key"), col("ingested_at").as("recorded_at"));
    }

    private Dataset<Row> originalsOfQuarantine(String quarantine) {
        Column none = lit(null).cast("string");
        return spark.table(quarantine).select(fileKey.apply(col("source_uri")).as("file_key"), col("source_uri"),
                col("file_size"), none.as("slice_key"), none.as("sop_instance_uid"), none.as("series_instance_uid"),
                none.as("study_instance_uid"), none.as("patient_id"), none.as("accession_number"), none.as("patient_key"),
                none.as("study_key"), none.as("series_key"), col("first_seen").as("recorded_at"));
    }

    /** Adds files the crosswalk lacks; a rerun after a kill adds nothing twice, and never overwrites what the ETL wrote. */
    private void moveOriginals(String crosswalk, Dataset<Row> originals) {
        originals.createOrReplaceTempView("ich_migrate_originals");
        spark.sql("MERGE INTO " + crosswalk + " t USING ich_migrate_originals s ON t.file_key = s.file_key"
                + " WHEN NOT MATCHED THEN INSERT *");
    }

    private Dataset<Row> keyedSlices(String table) {
        Dataset<Row> old = spark.table(table);
        List<String> present = List.of(old.columns());
        List<Column> columns = new ArrayList<>();
        for (StructField f : SliceTable.SCHEMA.fields()) {
            Column c = switch (f.name()) {
                case SliceTable.KEY -> sliceKey.apply(col("sop_instance_uid"));
                case "file_key" -> fileKey.apply(col("source_uri"));
                case "content_hash" -> contentKey.apply(col("content_hash"));
                case "header_json" -> header.apply(col("header_json"));
                case "software_versions" -> present.contains(f.name()) ? col(f.name())
                        : get_json_object(col("header_json"), "$.SoftwareVersions");
                default -> present.contains(f.name()) ? col(f.name()) : lit(null).cast(f.dataType());
            };
            columns.add(c.as(f.name()));
        }
        return old.select(columns.toArray(Column[]::new));
    }

    private Dataset<Row> keyedQuarantine(String table) {
        Dataset<Row> old = spark.table(table);
        Column key = fileKey.apply(col("source_uri"));
        List<Column> columns = new ArrayList<>();
        for (StructField f : QuarantineTable.SCHEMA.fields()) {
            Column c = switch (f.name()) {
                case "file_key" -> key;
                case "content_hash" -> contentKey.apply(col("content_hash"));
                case "message" -> scrub.apply(col("message"), col("source_uri"), key);
                default -> List.of(old.columns()).contains(f.name()) ? col(f.name()) : lit(null).cast(f.dataType());
            };
            columns.add(c.as(f.name()));
        }
        return old.select(columns.toArray(Column[]::new));
    }

    /** Any other table: each identifying column replaced, in place, by its key. */
    private Dataset<Row> keyedColumns(String table) {
        Dataset<Row> old = spark.table(table);
        List<Column> columns = new ArrayList<>();
        for (String name : old.columns()) {
            String renamed = renamed(name);
            Column c = name.equals("source_uri") ? fileKey.apply(col(name))
                    : renamed.equals(name) ? col(name) : sliceKey.apply(col(name));
            columns.add(c.as(renamed));
        }
        return old.select(columns.toArray(Column[]::new));
    }

    static String renamed(String column) {
        if (column.equals("sop_instance_uid")) return SliceTable.KEY;
        if (column.equals("source_uri")) return "file_key";
        Matcher m = TOP_SLICE.matcher(column);
        return m.matches() ? "top_slice_key_" + m.group(1) : column;
    }

    /**
     * Replaces the table's contents and schema in one commit (same partitioning, ich's own properties), then expires
     * the snapshots before it, which deletes the data files that held the originals.
     */
    private long replace(String table, Dataset<Row> keyed) {
        long rows = keyed.count();
        Table iceberg = loaded(table);
        StructType schema = withComments(keyed.schema(), table);
        Dataset<Row> typed = spark.createDataFrame(keyed.javaRDD(), schema);
        CreateTableWriter<Row> writer = typed.writeTo(table).using("iceberg");
        List<Column> partitions = new ArrayList<>();
        for (PartitionField f : iceberg.spec().fields()) partitions.add(partition(table, f, renamed(iceberg.schema().findColumnName(f.sourceId()))));
        if (!partitions.isEmpty()) writer = writer.partitionedBy(partitions.get(0),
                scala.collection.JavaConverters.asScalaBuffer(partitions.subList(1, partitions.size())).toSeq());
        Map<String, String> props = new TreeMap<>();
        iceberg.properties().forEach((k, v) -> {
            if (k.startsWith("ich.") || k.startsWith("write.")) props.put(k, v);
        });
        props.putAll(EtlTables.rowLevel());
        String name = table.substring(table.lastIndexOf('.') + 1);
        if (name.equals(SliceTable.NAME) || name.equals(QuarantineTable.NAME)) props.put(EtlTables.PROP_KEY_ID, privacy.keyId());
        for (var e : props.entrySet()) writer = writer.tableProperty(e.getKey(), e.getValue());
        writer.createOrReplace();
        Timestamp now = new Timestamp(System.currentTimeMillis() + 1000);
        spark.sql("CALL " + common.catalog() + ".system.expire_snapshots(table => '" + common.namespace() + "." + name
                + "', older_than => TIMESTAMP '" + now + "', retain_last => 1)");
        return rows;
    }

    /** The partition field as Spark's writer takes it (predictions are partitioned by days(scored_at), model_version). */
    private static Column partition(String table, PartitionField f, String column) {
        String transform = f.transform().toString();
        if (transform.equals("identity")) return col(column);
        if (transform.equals("year")) return years(col(column));
        if (transform.equals("month")) return months(col(column));
        if (transform.equals("day")) return days(col(column));
        if (transform.equals("hour")) return hours(col(column));
        Matcher bucket = Pattern.compile("bucket\\[(\\d+)]").matcher(transform);
        if (bucket.matches()) return bucket(Integer.parseInt(bucket.group(1)), col(column));
        throw new UserError(table + " is partitioned by " + f + ", which ich migrate does not carry over; rewrite it by hand");
    }

    /**
     * The schema with the column comments analysts read in DESCRIBE: the ETL tables' own, elsewhere the old ones, and
     * for each column that now holds a key, a note saying so.
     */
    private StructType withComments(StructType keyed, String table) {
        Map<String, String> comments = new TreeMap<>();
        for (StructField f : spark.table(table).schema().fields()) {
            String name = renamed(f.name());
            if (!name.equals(f.name())) comments.put(name, "HMAC-SHA256 pseudonym (ich migrate replaced " + f.name() + ")");
            else if (f.getComment().isDefined()) comments.put(name, f.getComment().get());
        }
        String name = table.substring(table.lastIndexOf('.') + 1);
        StructType own = name.equals(SliceTable.NAME) ? SliceTable.SCHEMA : name.equals(QuarantineTable.NAME) ? QuarantineTable.SCHEMA : null;
        if (own != null) for (StructField f : own.fields()) comments.put(f.name(), f.getComment().getOrElse(() -> ""));
        List<StructField> fields = new ArrayList<>();
        for (StructField f : keyed.fields()) fields.add(f.withComment(comments.getOrDefault(f.name(), "")));
        return new StructType(fields.toArray(StructField[]::new));
    }

    private Table loaded(String table) {
        try {
            return Spark3Util.loadIcebergTable(spark, table);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Iceberg table " + table + ": " + e.getMessage(), e);
        }
    }
}
