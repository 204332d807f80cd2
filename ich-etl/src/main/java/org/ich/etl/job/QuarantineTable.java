package org.ich.etl.job;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import static org.ich.etl.job.EtlTables.column;

/** Schema of the {@code quarantine} table: every file that could not become a slice, and why. */
public final class QuarantineTable {
    public static final String NAME = "quarantine";
    public static final StructType SCHEMA = new StructType(new StructField[]{
            column("file_key", DataTypes.StringType, false, "HMAC-SHA256 pseudonym of the file's URI; ich etl --show-paths gives the path"),
            column("file_size", DataTypes.LongType, false, "file size in bytes"),
            column("content_hash", DataTypes.StringType, true, "HMAC-SHA256 pseudonym of the file's SHA-256; null when unreadable"),
            column("reason", DataTypes.StringType, false, "reason class, see org.ich.dicom.QuarantineReason"),
            column("message", DataTypes.StringType, false, "what went wrong, naming the file by its file_key"),
            column("first_seen", DataTypes.TimestampType, false, "start of the ETL run that first quarantined it"),
            column("file_modified", DataTypes.TimestampType, true, "modification time when read; a newer one makes the ETL read the file again"),
    });

    private QuarantineTable() {}
}
