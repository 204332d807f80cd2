package org.ich.train.job;

import java.util.Map;
import java.util.TreeMap;

import org.ich.config.CommonConfig;
import org.ich.train.model.NativeHelpers;

/**
 * The Spark settings DL4J training needs on top of ich's, added to the session's configuration before it
 * starts. Like every entry of {@code ich.spark.conf} they yield to what spark-submit sets.
 */
public final class SparkSetup {

    static final String REGISTRATOR = "org.nd4j.kryo.Nd4jRegistrator";
    static final String HELPERS_ON = "-Dorg.eclipse.deeplearning4j.helpers.disable=false";

    private SparkSetup() {
    }

    /** For parameter averaging, which needs no transport settings of its own. */
    public static CommonConfig forTraining(CommonConfig common) {
        return forTraining(common, null);
    }

    /** @param distributed the run's distribution settings; gradient sharing adds its transport's JVM options */
    public static CommonConfig forTraining(CommonConfig common, DistributedConfig distributed) {
        Map<String, String> conf = new TreeMap<>(common.sparkConf());
        // INDArrays inside MultiDataSets and broadcasts need ND4J's Kryo serializers (off-heap buffers).
        conf.putIfAbsent("spark.kryo.registrator", REGISTRATOR);
        // Executors build layers in their own JVMs; without this DL4J leaves oneDNN off there (see NativeHelpers).
        addJavaOption(conf, "org.eclipse.deeplearning4j.helpers.disable", HELPERS_ON);
        if (distributed != null && distributed.master() == DistributedConfig.Master.SHARING) {
            addJavaOption(conf, TrainingMasters.AERON_UNBLOCK,
                    "-D" + TrainingMasters.AERON_UNBLOCK + "=" + TrainingMasters.AERON_UNBLOCK_NS);
        }
        // libgomp's spinning waits make DL4J ~10x slower whenever an executor's cores are shared (measured).
        conf.putIfAbsent("spark.executorEnv.OMP_WAIT_POLICY", NativeHelpers.OMP_WAIT_POLICY);
        // Fresh page-faulted scratchpads on every step make DL4J ~2.5x slower (see NativeHelpers).
        conf.putIfAbsent("spark.executorEnv.GLIBC_TUNABLES", NativeHelpers.GLIBC_TUNABLES);
        if (conf.containsKey("spark.executor.cores")) {
            conf.putIfAbsent("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.executor.cores"));
        }
        return new CommonConfig(common.warehouse(), common.catalog(), common.namespace(), common.master(), conf,
                common.s3());
    }


    private static void addJavaOption(Map<String, String> conf, String property, String option) {
        String javaOptions = conf.getOrDefault("spark.executor.extraJavaOptions", "");
        if (!javaOptions.contains(property)) {
            conf.put("spark.executor.extraJavaOptions", (javaOptions + " " + option).trim());
        }
    }

    /** A warning when spark-submit's own executor options would keep DL4J's native helpers off. */
    static String helperWarning() {
        String submitted = System.getProperty("spark.executor.extraJavaOptions");
        return submitted != null && !submitted.contains("org.eclipse.deeplearning4j.helpers.disable")
                ? "warning: spark.executor.extraJavaOptions from spark-submit lacks " + HELPERS_ON
                + "; executors will train without oneDNN (several times slower)"
                : null;
    }
}
