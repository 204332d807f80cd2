package org.ich.score.job;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;
import org.ich.config.CommonConfig;
import org.ich.score.testing.ScoringFixture;
import org.ich.train.sequence.job.SliceEmbeddingTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Scoring's tables written before the PHI boundary hold SOP UIDs and paths: evolving them would put keys beside the
 * identifiers, so a job refuses them and names the fix (ich migrate) instead.
 */
class LegacyTablesTest {

    @Test
    void tablesWithOriginalIdentifiersAreRefusedNotEvolved() throws IOException {
        ScoringFixture f = ScoringFixture.get();
        SparkSession spark = f.spark();
        // A namespace of its own beside the fixture's tables, laid out as an ich from before the boundary wrote them.
        CommonConfig legacy = CommonConfig.from(f.settings("ich.namespace=legacy_layout"));
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + legacy.catalog() + "." + legacy.namespace());
        spark.sql("CREATE TABLE IF NOT EXISTS " + legacy.table(PredictionTable.NAME)
                + " (sop_instance_uid STRING, model_version STRING, source_uri STRING) USING iceberg");
        spark.sql("CREATE TABLE IF NOT EXISTS " + legacy.table(StudyPredictionTable.NAME)
                + " (model_version STRING, study_key STRING, top_slice_any STRING, top_slice_index_any INT) USING iceberg");
        spark.sql("CREATE TABLE IF NOT EXISTS " + legacy.table(SliceEmbeddingTable.NAME)
                + " (sop_instance_uid STRING, model_version STRING) USING iceberg");
        spark.sql("CREATE TABLE IF NOT EXISTS " + legacy.table(KeySliceHeatmaps.NAME)
                + " (model_version STRING, sop_instance_uid STRING) USING iceberg");

        refused(() -> PredictionTable.ensure(spark, legacy), PredictionTable.NAME);
        refused(() -> SliceEmbeddingTable.ensure(spark, legacy), SliceEmbeddingTable.NAME);
        refused(() -> KeySliceHeatmaps.ensure(spark, legacy), KeySliceHeatmaps.NAME);
        spark.sql("DROP TABLE " + legacy.table(KeySliceHeatmaps.NAME));
        refused(() -> StudyPredictionTable.refresh(spark, legacy, "v", 0.5,
                new StudyPredictionTable.Flag(StudyPredictionTable.Flag.UNCHOSEN, 0.5)), StudyPredictionTable.NAME);
    }

    private static void refused(Executable job, String table) {
        UserError e = assertThrows(UserError.class, job, table);
        assertTrue(e.getMessage().contains(table) && e.getMessage().contains("ich migrate"), e.getMessage());
    }
}
