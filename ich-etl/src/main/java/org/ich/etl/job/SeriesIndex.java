package org.ich.etl.job;

import org.apache.spark.sql.SparkSession;

/**
 * Keeps {@code slice_index} = 0..n-1 by z within each series. A series whose slices arrive over several runs gets
 * overlapping run-local indexes; this finds such series (count, distinct and max disagree) and renumbers only them,
 * so it also heals a run killed between its commits.
 */
final class SeriesIndex {
    private SeriesIndex() {}

    static void repair(SparkSession spark, String slices) {
        String broken = "SELECT series_key FROM " + slices + " GROUP BY series_key HAVING count(*) <> count(slice_index)"
                + " OR count(DISTINCT slice_index) <> count(*) OR max(slice_index) <> count(*) - 1 OR min(slice_index) <> 0";
        if (spark.sql(broken).isEmpty()) return;
        spark.sql("MERGE INTO " + slices + " t USING (SELECT slice_key, CAST(row_number() OVER (PARTITION BY series_key"
                + " ORDER BY z_position ASC NULLS LAST, instance_number ASC NULLS LAST, slice_key) - 1 AS INT) AS idx"
                + " FROM " + slices + " WHERE series_key IN (" + broken + ")) s ON t.slice_key = s.slice_key"
                + " WHEN MATCHED AND NOT (t.slice_index <=> s.idx) THEN UPDATE SET t.slice_index = s.idx");
    }
}
