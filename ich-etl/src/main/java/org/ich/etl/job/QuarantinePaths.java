package org.ich.etl.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.etl.PrivacyConfig;

import java.io.PrintStream;

import static org.apache.spark.sql.functions.col;

/**
 * {@code ich etl --show-paths}: the quarantined and waiting files with their paths, for the operator who must fix
 * them. Those tables name files by key only; the paths come from the crosswalk, so this needs access to it.
 */
public final class QuarantinePaths {
    private QuarantinePaths() {}

    /**
     * Prints one tab-separated line per quarantined file (file_key, reason, first_seen, source_uri), then per waiting
     * file; returns how many files it listed.
     */
    public static long print(SparkSession spark, CommonConfig common, PrivacyConfig.Crosswalk crosswalk, PrintStream out) {
        Dataset<Row> paths = CrosswalkTable.read(spark, crosswalk, "ich etl --show-paths").select("file_key", "source_uri");
        String quarantine = common.table(QuarantineTable.NAME);
        if (!spark.catalog().tableExists(quarantine)) {
            out.println("etl: no quarantine table in " + common.catalog() + "." + common.namespace() + " yet");
            return 0;
        }
        Dataset<Row> rows = spark.table(quarantine).join(paths, "file_key", "left")
                .select(col("file_key"), col("reason"), col("first_seen").cast("string"), col("source_uri"))
                .orderBy("reason", "source_uri");
        long n = 0;
        out.println("file_key\treason\tfirst_seen\tsource_uri");
        for (Row r : rows.collectAsList()) {
            String path = r.isNullAt(3) ? "(not in the crosswalk: ingested before it existed; see ich migrate)" : r.getString(3);
            out.println(r.getString(0) + "\t" + r.getString(1) + "\t" + r.getString(2) + "\t" + path);
            n++;
        }
        out.println("(" + n + " quarantined file" + (n == 1 ? "" : "s") + "; their paths are PHI: do not paste them into tickets)");
        String waiting = common.table(WaitingTable.NAME);
        if (!spark.catalog().tableExists(waiting)) return n;
        long w = 0;
        out.println("file_key\twaiting: error_class\truns\tfirst_failed\tsource_uri");
        for (Row r : spark.table(waiting).join(paths, "file_key", "left").select(col("file_key"), col("error_class"),
                col("runs").cast("string"), col("first_failed").cast("string"), col("source_uri")).orderBy("source_uri").collectAsList()) {
            out.println(r.getString(0) + "\t" + r.getString(1) + "\t" + r.getString(2) + "\t" + r.getString(3) + "\t" + r.getString(4));
            w++;
        }
        out.println("(" + w + " file" + (w == 1 ? "" : "s") + " waiting for a retry: the storage did not deliver them; every run reads them again)");
        return n + w;
    }
}
