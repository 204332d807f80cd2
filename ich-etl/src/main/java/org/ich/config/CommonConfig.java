package org.ich.config;

import java.net.URI;
import java.util.Map;

/** Settings every job shares: where the tables are, how Spark starts, how s3a authenticates. */
public record CommonConfig(URI warehouse, String catalog, String namespace, String master, Map<String, String> sparkConf,
                           S3 s3) {

    /** s3a settings; the keys are resolved from the environment and never printed (see {@link #toString()}). */
    public record S3(String endpoint, boolean pathStyleAccess, String region, String accessKey, String secretKey) {
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", pathStyleAccess=" + pathStyleAccess + ", region=" + region
                    + ", credentials=" + (accessKey != null ? "from environment" : "default provider chain") + "]";
        }
    }

    public static CommonConfig from(Settings s) {
        String catalog = s.string("ich.catalog");
        if (!catalog.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new ConfigError("ich.catalog", "must be an identifier, got " + catalog);
        String namespace = s.string("ich.namespace");
        if (!namespace.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new ConfigError("ich.namespace", "must be an identifier, got " + namespace);
        S3 s3 = new S3(s.optionalString("ich.s3.endpoint"), s.bool("ich.s3.path-style-access"), s.optionalString("ich.s3.region"),
                s.secretFromEnv("ich.s3.access-key-env"), s.secretFromEnv("ich.s3.secret-key-env"));
        return new CommonConfig(s.storageUri("ich.warehouse"), catalog, namespace, s.string("ich.spark.master"),
                s.stringMap("ich.spark.conf"), s3);
    }

    /** Fully qualified name of one of ich's tables. */
    public String table(String name) {
        return catalog + "." + namespace + "." + name;
    }
}
