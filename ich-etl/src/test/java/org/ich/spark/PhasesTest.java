package org.ich.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class PhasesTest {
    @Test
    void eachPhasesSparkJobsCarryTheJobGroupAndDescriptionAndTheCallersComeBack() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("phases-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<String> seen = new CopyOnWriteArrayList<>();
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart job) {
                    seen.add(job.properties().getProperty("spark.jobGroup.id") + " | "
                            + job.properties().getProperty("spark.job.description"));
                }
            });
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Phases phases = new Phases(spark, "etl", new PrintStream(printed, true));
            long n = phases.time("decode", () -> spark.range(10).count());
            assertEquals(10, n);
            spark.range(3).count();
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertTrue(seen.size() >= 2, seen.toString());
            assertEquals("ich etl | ich etl: decode", seen.get(0));
            assertEquals("null | null", seen.get(seen.size() - 1), "after the phase, jobs are the caller's again");
            assertTrue(printed.toString().startsWith("etl: decode in "), printed.toString());
            assertNull(spark.sparkContext().getLocalProperty("spark.job.description"));
        } finally {
            spark.stop();
        }
    }

    @Test
    void icebergsExtensionsJoinThoseAClusterSetsOnce() {
        String iceberg = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";
        assertEquals(iceberg, IchSpark.withIceberg(""));
        assertEquals("com.example.Ext," + iceberg, IchSpark.withIceberg("com.example.Ext"));
        assertEquals("com.example.Ext," + iceberg, IchSpark.withIceberg("com.example.Ext, " + iceberg));
    }
}
