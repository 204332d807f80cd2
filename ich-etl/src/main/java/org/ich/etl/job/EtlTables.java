package org.ich.etl.job;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.etl.PixelParams;
import org.ich.etl.PrivacyConfig;
import org.ich.pixel.TensorCodec;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Creates the ETL's Iceberg tables on first use and refuses to mix tensors of different window stacks or sizes. */
public final class EtlTables {
    public static final String PROP_LAYOUT = "ich.tensor.layout";
    public static final String PROP_DTYPE = "ich.tensor.dtype";
    public static final String PROP_SCALING = "ich.tensor.scaling";
    public static final String PROP_WINDOWS = "ich.tensor.windows";
    public static final String PROP_SIZE = "ich.tensor.size";
    /** The fingerprint of the pseudonym key that wrote a table's keys (never the key). */
    public static final String PROP_KEY_ID = "ich.privacy.key-id";

    private EtlTables() {}

    /**
     * Checks what the tables already hold against this run (their tensors, the key that wrote their pseudonyms, a
     * layout from before the PHI boundary), then creates the missing ones: a run that is refused writes nothing.
     */
    public static void ensure(SparkSession spark, CommonConfig common, PixelParams pixels, PrivacyConfig privacy) {
        String slices = common.table(SliceTable.NAME), quarantine = common.table(QuarantineTable.NAME),
                waiting = common.table(WaitingTable.NAME);
        for (String table : new String[]{slices, quarantine, waiting}) {
            if (!spark.catalog().tableExists(table)) continue;
            LegacyLayout.refuse(spark, table);
            checkKey(spark, table, privacy);
        }
        if (spark.catalog().tableExists(slices)) checkTensorSpec(spark, slices, pixels);
        Map<String, String> props = new TreeMap<>(Map.of(PROP_LAYOUT, TensorCodec.LAYOUT, PROP_DTYPE, TensorCodec.DTYPE,
                PROP_SCALING, TensorCodec.SCALING, PROP_WINDOWS, pixels.windowSpec(), PROP_SIZE, Integer.toString(pixels.size())));
        props.putAll(rowLevel());
        props.put(PROP_KEY_ID, privacy.keyId());
        createOrEvolve(spark, slices, SliceTable.SCHEMA, "split", props);
        createOrEvolve(spark, quarantine, QuarantineTable.SCHEMA, null, keyed(privacy));
        createOrEvolve(spark, waiting, WaitingTable.SCHEMA, null, keyed(privacy));
    }

    /** Iceberg format 2 with merge-on-read row-level changes: what the MERGEs of ich's tables expect. */
    public static Map<String, String> rowLevel() {
        return Map.of("format-version", "2", "write.merge.mode", "merge-on-read",
                "write.update.mode", "merge-on-read", "write.delete.mode", "merge-on-read");
    }

    /** {@link #rowLevel()} plus the id of the key whose pseudonyms the table holds. */
    static Map<String, String> keyed(PrivacyConfig privacy) {
        Map<String, String> props = new TreeMap<>(rowLevel());
        props.put(PROP_KEY_ID, privacy.keyId());
        return props;
    }

    /**
     * Refuses to mix pseudonyms of two keys in one table: rows of another key would never join the new ones (a
     * patient would get a second key and possibly a second split). A table without a recorded key id gets this one.
     */
    static void checkKey(SparkSession spark, String table, PrivacyConfig privacy) {
        String recorded = properties(spark, table).get(PROP_KEY_ID);
        if (recorded == null) {
            spark.sql("ALTER TABLE " + table + " SET TBLPROPERTIES ('" + PROP_KEY_ID + "'='" + privacy.keyId() + "')");
        } else if (!recorded.equals(privacy.keyId())) {
            throw new UserError(table + " holds pseudonyms made with the key whose id is " + recorded + ", but this run's key ("
                    + (privacy.devKey() ? "the public development key" : "from the environment") + ") has id "
                    + privacy.keyId() + "; pseudonyms of two keys in one table would never join. Run with the key that"
                    + " wrote the table (ich.privacy.pseudonym-key-env names its environment variable), or write to a new"
                    + " ich.warehouse (README, Privacy: key rotation)");
        }
    }

    /** CREATE TABLE IF NOT EXISTS with the schema's column comments, an optional PARTITIONED BY clause and properties. */
    public static void create(SparkSession spark, String table, StructType schema, String partition, Map<String, String> props) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (")
                .append(schema.toDDL()).append(") USING iceberg");
        if (partition != null) ddl.append(" PARTITIONED BY (").append(partition).append(")");
        ddl.append(" TBLPROPERTIES (");
        String sep = "";
        for (var e : props.entrySet()) {
            ddl.append(sep).append('\'').append(e.getKey()).append("'='").append(e.getValue().replace("'", "\\'")).append('\'');
            sep = ", ";
        }
        spark.sql(ddl.append(")").toString());
    }

    /** A column of a table's schema, with the comment analysts read in DESCRIBE. */
    public static StructField column(String name, DataType type, boolean nullable, String comment) {
        return new StructField(name, type, nullable, Metadata.empty()).withComment(comment);
    }

    /**
     * Creates {@code table} (see {@link #create}), or adds the columns of {@code schema} it lacks. A table from before
     * the PHI boundary is refused instead: evolving it would put keys beside its original identifiers.
     */
    public static void createOrEvolve(SparkSession spark, String table, StructType schema, String partition,
                                      Map<String, String> props) {
        if (spark.catalog().tableExists(table)) {
            LegacyLayout.refuse(spark, table);
            addMissingColumns(spark, table, schema);
        } else {
            create(spark, table, schema, partition, props);
        }
    }

    /**
     * Adds the columns of {@code schema} that {@code table} lacks (nullable, with their comments): a table written by
     * an older ich gains a newer release's columns, its existing rows reading null in them.
     */
    public static void addMissingColumns(SparkSession spark, String table, StructType schema) {
        Set<String> present = new HashSet<>(Arrays.asList(spark.table(table).columns()));
        for (StructField f : schema.fields()) {
            if (present.contains(f.name())) continue;
            String comment = f.getComment().isDefined() ? " COMMENT '" + f.getComment().get().replace("'", "\\'") + "'" : "";
            spark.sql("ALTER TABLE " + table + " ADD COLUMNS (" + f.name() + " " + f.dataType().sql() + comment + ")");
        }
    }

    static void checkTensorSpec(SparkSession spark, String table, PixelParams pixels) {
        Map<String, String> props = properties(spark, table);
        String windows = props.get(PROP_WINDOWS), size = props.get(PROP_SIZE);
        if (windows != null && !windows.equals(pixels.windowSpec())) {
            throw new UserError("ich.etl.windows is " + pixels.windowSpec() + " but table " + table + " holds tensors of "
                    + windows + "; keep the table's windows, or write to a new ich.namespace / ich.warehouse");
        }
        if (size != null && !size.equals(Integer.toString(pixels.size()))) {
            throw new UserError("ich.etl.size is " + pixels.size() + " but table " + table + " holds tensors of size " + size
                    + "; keep the table's size, or write to a new ich.namespace / ich.warehouse");
        }
    }

    public static Map<String, String> properties(SparkSession spark, String table) {
        Map<String, String> out = new TreeMap<>();
        for (Row r : spark.sql("SHOW TBLPROPERTIES " + table).collectAsList()) out.put(r.getString(0), r.getString(1));
        return Collections.unmodifiableMap(out);
    }
}
