package org.ich.spark;

import org.apache.spark.SparkConf;
import org.ich.config.CommonConfig;

import java.util.function.BiConsumer;

/** Hadoop s3a settings from ich's config; keys come from the environment and are set in memory only. */
public final class S3a {
    private S3a() {}

    public static void configure(SparkConf conf, CommonConfig.S3 s3) {
        apply(s3, (k, v) -> conf.set("spark.hadoop." + k, v));
    }

    public static void configure(org.apache.hadoop.conf.Configuration conf, CommonConfig.S3 s3) {
        apply(s3, conf::set);
    }

    static void apply(CommonConfig.S3 s3, BiConsumer<String, String> set) {
        if (s3.endpoint() != null) set.accept("fs.s3a.endpoint", s3.endpoint());
        if (s3.region() != null) set.accept("fs.s3a.endpoint.region", s3.region());
        set.accept("fs.s3a.path.style.access", Boolean.toString(s3.pathStyleAccess()));
        if (s3.endpoint() != null && s3.endpoint().startsWith("http:")) set.accept("fs.s3a.connection.ssl.enabled", "false");
        if (s3.accessKey() != null && s3.secretKey() != null) {
            set.accept("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            set.accept("fs.s3a.access.key", s3.accessKey());
            set.accept("fs.s3a.secret.key", s3.secretKey());
        }
    }
}
