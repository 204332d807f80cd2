package org.ich.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;

/**
 * Builds the Spark session every job uses: the Iceberg catalog over the configured warehouse as the default catalog
 * (so tables can be named unqualified), s3a settings, and Kryo. Settings given by spark-submit win over ich's.
 */
public final class IchSpark {
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
        conf.set("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
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

    private static void setIfAbsent(SparkConf conf, String key, String value) {
        if (!conf.contains(key) && value != null) conf.set(key, value);
    }
}
