package org.ich.etl.job;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import static org.ich.etl.job.EtlTables.column;

/**
 * Schema of the {@code waiting} table: files the storage could not deliver (throttling, timeouts, reset connections,
 * a store that was down). Unlike quarantine, nothing is known to be wrong with them: every run reads them again, and
 * a file leaves this table for {@code slices} or {@code quarantine} as soon as it is read.
 */
public final class WaitingTable {
    public static final String NAME = "waiting";
    public static final StructType SCHEMA = new StructType(new StructField[]{
            column("file_key", DataTypes.StringType, false, "HMAC-SHA256 pseudonym of the file's URI; ich etl --show-paths gives the path"),
            column("file_size", DataTypes.LongType, false, "file size in bytes, as listed"),
            column("file_modified", DataTypes.TimestampType, true, "modification time, as listed"),
            column("attempts", DataTypes.IntegerType, false, "reads tried and failed, over all runs"),
            column("runs", DataTypes.IntegerType, false, "ETL runs in a row that could not read it"),
            column("error_class", DataTypes.StringType, false, "class of the last storage error, e.g. AWSServiceThrottledException"),
            column("message", DataTypes.StringType, false, "the last error, naming the file by its file_key"),
            column("first_failed", DataTypes.TimestampType, false, "start of the first run that could not read it"),
            column("last_failed", DataTypes.TimestampType, false, "start of the latest run that could not read it"),
    });

    private WaitingTable() {}
}
