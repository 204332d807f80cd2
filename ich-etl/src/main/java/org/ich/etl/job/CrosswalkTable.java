package org.ich.etl.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ich.cli.UserError;
import org.ich.etl.PrivacyConfig;

import static org.ich.etl.job.EtlTables.column;

/**
 * The crosswalk: the only table that holds original identifiers (SOP, series and study UIDs, PatientID,
 * AccessionNumber) and source paths, one row per input file, keyed by {@code file_key}. It lives in a catalog and
 * warehouse of its own ({@code ich.privacy.crosswalk.*}) so storage and catalog permissions can fence it off; only
 * jobs that must reach the originals attach it (the ETL writes it; re-reading files, --show-paths, the RSNA
 * export and exports back to the PACS read it).
 */
public final class CrosswalkTable {
    public static final StructType SCHEMA = new StructType(new StructField[]{
            column("file_key", DataTypes.StringType, false, "pseudonym of source_uri, as in slices and quarantine"),
            column("source_uri", DataTypes.StringType, false, "where the file was read"),
            column("file_size", DataTypes.LongType, false, "file size in bytes"),
            column("slice_key", DataTypes.StringType, true, "pseudonym of sop_instance_uid; null when the file did not decode"),
            column("sop_instance_uid", DataTypes.StringType, true, "DICOM SOPInstanceUID"),
            column("series_instance_uid", DataTypes.StringType, true, "DICOM SeriesInstanceUID"),
            column("study_instance_uid", DataTypes.StringType, true, "DICOM StudyInstanceUID"),
            column("patient_id", DataTypes.StringType, true, "DICOM PatientID"),
            column("accession_number", DataTypes.StringType, true, "DICOM AccessionNumber"),
            column("patient_key", DataTypes.StringType, true, "pseudonym of patient_id, as in slices"),
            column("study_key", DataTypes.StringType, true, "pseudonym of study_instance_uid, as in slices"),
            column("series_key", DataTypes.StringType, true, "pseudonym of series_instance_uid, as in slices"),
            column("recorded_at", DataTypes.TimestampType, false, "start of the ETL run that read the file"),
    });

    private CrosswalkTable() {}

    /**
     * Registers the crosswalk's catalog on this session (it is not registered otherwise, so a session that never
     * attaches it cannot name it) and returns the table's full name.
     */
    public static String attach(SparkSession spark, PrivacyConfig.Crosswalk crosswalk) {
        String cat = "spark.sql.catalog." + crosswalk.catalog();
        String attached = spark.conf().getOption(cat + ".warehouse").getOrElse(() -> null);
        if (attached != null && !attached.equals(crosswalk.warehouse().toString())) {
            // Spark keeps a catalog once loaded: re-pointing it would silently read or write the other crosswalk.
            throw new IllegalStateException("this Spark session has the crosswalk catalog " + crosswalk.catalog() + " at "
                    + attached + " already; a job for the crosswalk at " + crosswalk.warehouse() + " needs a session of its own");
        }
        spark.conf().set(cat, "org.apache.iceberg.spark.SparkCatalog");
        spark.conf().set(cat + ".type", "hadoop");
        spark.conf().set(cat + ".warehouse", crosswalk.warehouse().toString());
        return crosswalk.table();
    }

    /** Attaches the crosswalk and creates it on first use (the ETL, which writes it). */
    static String ensure(SparkSession spark, PrivacyConfig privacy) {
        String table = attach(spark, privacy.crosswalk());
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + privacy.crosswalk().catalog() + "." + privacy.crosswalk().namespace());
        EtlTables.create(spark, table, SCHEMA, null, EtlTables.rowLevel());
        EtlTables.checkKey(spark, table, privacy);
        return table;
    }

    /**
     * The crosswalk, for a job that needs the original identifiers. A job that cannot read it says so, and which
     * setting points at it, instead of failing somewhere inside Spark.
     */
    public static Dataset<Row> read(SparkSession spark, PrivacyConfig.Crosswalk crosswalk, String why) {
        String table = attach(spark, crosswalk);
        try {
            if (spark.catalog().tableExists(table)) return spark.table(table);
        } catch (RuntimeException e) {
            throw unreadable(crosswalk, why, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        throw unreadable(crosswalk, why, "no table " + table + " there", null);
    }

    private static UserError unreadable(PrivacyConfig.Crosswalk crosswalk, String why, String problem, Throwable cause) {
        return new UserError(why + " needs the crosswalk of original identifiers, which cannot be read (" + problem
                + "); it is at ich.privacy.crosswalk.warehouse = " + crosswalk.warehouse() + " (catalog "
                + crosswalk.catalog() + ", namespace " + crosswalk.namespace() + "): run this job with read access to"
                + " that location, or point the setting at it", cause);
    }

}
