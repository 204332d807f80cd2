package org.ich.testing;

import org.ich.config.IchConf;
import org.ich.config.Settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Configuration for tests: the real loader with overrides, tables under a temporary warehouse, Spark on local[2]. */
public final class TestSettings {
    private TestSettings() {}

    public static Settings under(Path dir, String... overrides) {
        return under(dir, Map.of(), overrides);
    }

    public static Settings under(Path dir, Map<String, String> env, String... overrides) {
        List<String> all = overrides(dir);
        all.addAll(Arrays.asList(overrides));
        return new Settings(IchConf.load(null, all), env);
    }

    /** The test defaults as command-line overrides, for jobs started in a child JVM. */
    public static List<String> overrides(Path dir) {
        return new ArrayList<>(List.of(
                "ich.warehouse=\"" + dir.resolve("warehouse").toUri() + "\"",
                "ich.spark.master=\"local[2]\"",
                // Synthetic data only: the public development key, asked for explicitly as the product requires.
                "ich.privacy.allow-dev-key=true",
                "ich.spark.conf.\"spark.sql.shuffle.partitions\"=\"4\"",
                "ich.spark.conf.\"spark.driver.bindAddress\"=\"127.0.0.1\"",
                "ich.spark.conf.\"spark.driver.host\"=\"127.0.0.1\"",
                "ich.explore.out=\"" + dir.resolve("explore").toUri() + "\""));
    }
}
