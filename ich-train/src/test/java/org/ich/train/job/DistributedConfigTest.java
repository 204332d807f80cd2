package org.ich.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.apache.spark.storage.StorageLevel;
import org.ich.config.CommonConfig;
import org.ich.config.ConfigError;
import org.ich.testing.TestSettings;
import org.ich.train.model.NativeHelpers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution settings and the Spark settings they imply, without Spark. */
class DistributedConfigTest {

    @Test
    void keysAreValidatedByName(@TempDir Path dir) {
        for (String[] bad : new String[][] {{"ich.train.master", "ring"}, {"ich.train.storage-level", "SOMEWHERE"},
                {"ich.train.repartition", "sometimes"}, {"ich.train.repartition-strategy", "random"},
                {"ich.train.rdd-approach", "stream"}, {"ich.train.sharing.port", "80"}}) {
            ConfigError error = assertThrows(ConfigError.class,
                    () -> DistributedConfig.from(TestSettings.under(dir, bad[0] + "=" + bad[1])));
            assertEquals(bad[0], error.key());
        }
        assertNull(DistributedConfig.from(TestSettings.under(dir, "ich.train.storage-level=none")).storageLevel());
        assertEquals(StorageLevel.MEMORY_AND_DISK_SER(),
                DistributedConfig.from(TestSettings.under(dir, "ich.train.storage-level=memory_and_disk_ser")).storageLevel());
    }

    @Test
    void trainingSessionsGetNd4jKryoAndExecutorFlagsWithoutLosingTheUsers(@TempDir Path dir) {
        var settings = TestSettings.under(dir, "ich.spark.conf.\"spark.executor.extraJavaOptions\"=\"-Dmine=1\"",
                "ich.spark.conf.\"spark.executor.cores\"=\"4\"", "ich.train.master=sharing");
        var conf = SparkSetup.forTraining(CommonConfig.from(settings), DistributedConfig.from(settings)).sparkConf();
        assertEquals("org.nd4j.kryo.Nd4jRegistrator", conf.get("spark.kryo.registrator"));
        String options = conf.get("spark.executor.extraJavaOptions");
        assertTrue(options.startsWith("-Dmine=1 ") && options.contains("-Dorg.eclipse.deeplearning4j.helpers.disable=false")
                && options.contains("-Daeron.publication.unblock.timeout="), options);
        assertEquals("PASSIVE", conf.get("spark.executorEnv.OMP_WAIT_POLICY"));
        assertEquals("4", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals(NativeHelpers.GLIBC_TUNABLES, conf.get("spark.executorEnv.GLIBC_TUNABLES"));
        // The parent pom gives the test JVMs the same allocator settings as the launchers and executors.
        assertEquals(NativeHelpers.GLIBC_TUNABLES, System.getenv("GLIBC_TUNABLES"));
    }

    @Test
    void dottedSparkKeysLoseTheQuotesHoconPutsAroundThem(@TempDir Path dir) {
        Map<String, String> conf = SparkSetup.forTraining(CommonConfig.from(TestSettings.under(dir))).sparkConf();
        assertEquals("4", conf.get("spark.sql.shuffle.partitions"));
        assertEquals("false", conf.get("spark.ui.enabled"));
        assertFalse(conf.keySet().stream().anyMatch(k -> k.contains("\"")), conf.toString());
    }

    @Test
    void sharingStepsAreTheMinibatchesPerWorker() {
        // 100 slices in minibatches of 8 = 13, over 2 workers.
        assertEquals(7, TrainingMasters.sharingStepsPerEpoch(100, 8, 2));
    }
}
