package org.ich.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;

/**
 * Builds the Spark session every job uses: the Iceberg catalog over the configured warehouse as the default catalog
 * (so tables can be named unqualified), s3a settings, and Kryo. Settings given by spark-submit win over ich's.
 */
public final class IchSpark {
    private static final String EXTENSIONS = "spark.sql.extensions";
    private static final String ICEBERG_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

    private IchSpark() {}

    public static SparkSession session(CommonConfig common, String appName) {
        SparkConf conf = new SparkConf(true); // true: takes spark.* system properties, i.e. what spark-submit set
        setIfAbsent(conf, "spark.master", common.master());
        setIfAbsent(conf, "spark.app.name", appName);
        common.sparkConf().forEach((k, v) -> setIfAbsent(conf, k, v));
        String cat = "spark.sql.catalog." + common.catalog();
        conf.set(cat, "org.apache.iceberg.spark.SparkCatalog");
        conf.set(cat + ".type", "hadoop");
        conf.set(cat + ".warehouse", common.warehouse().toString());
        conf.set(EXTENSIONS, withIceberg(conf.get(EXTENSIONS, "")));
        conf.set("spark.sql.defaultCatalog", common.catalog());
        setIfAbsent(conf, "spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        setIfAbsent(conf, "spark.sql.session.timeZone", "UTC");
        // Spark's own catalog is unused; keep it from creating ./spark-warehouse wherever a job is started.
        setIfAbsent(conf, "spark.sql.warehouse.dir", Storage.child(common.warehouse(), "spark-sql").toString());
        S3a.configure(conf, common.s3());
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + common.catalog() + "." + common.namespace());
        spark.sql("USE " + common.catalog() + "." + common.namespace());
        return spark;
    }

    /** A cluster's own session extensions stay; Iceberg's (MERGE INTO, procedures) are added once. */
    static String withIceberg(String extensions) {
        List<String> all = new ArrayList<>();
        for (String e : extensions.split(",")) if (!e.isBlank()) all.add(e.trim());
        if (!all.contains(ICEBERG_EXTENSIONS)) all.add(ICEBERG_EXTENSIONS);
        return String.join(",", all);
    }

    private static void setIfAbsent(SparkConf conf, String key, String value) {
        if (!conf.contains(key) && value != null) conf.set(key, value);
    }
}
