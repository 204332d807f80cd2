package org.ich.etl.job;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;

import java.util.Arrays;
import java.util.List;

/**
 * Tables written before the PHI boundary held original identifiers ({@code sop_instance_uid}, {@code source_uri}).
 * Jobs refuse to add to them, naming the fix, rather than write pseudonymous rows beside identifying ones.
 */
public final class LegacyLayout {
    /** Columns that only a table from before the PHI boundary has. */
    public static final List<String> IDENTIFYING_COLUMNS = List.of("sop_instance_uid", "source_uri", "top_slice_any");

    private LegacyLayout() {}

    public static boolean isLegacy(SparkSession spark, String table) {
        return Arrays.stream(spark.table(table).columns()).anyMatch(IDENTIFYING_COLUMNS::contains);
    }

    public static void refuse(SparkSession spark, String table) {
        if (!isLegacy(spark, table)) return;
        throw new UserError(table + " was written by an ich from before the PHI boundary and holds original identifiers"
                + " (" + String.join(", ", IDENTIFYING_COLUMNS) + "); run `ich migrate` once with the pseudonym key that"
                + " wrote it (it moves the originals into the crosswalk and keys the tables), or ingest into a new"
                + " ich.warehouse");
    }
}
