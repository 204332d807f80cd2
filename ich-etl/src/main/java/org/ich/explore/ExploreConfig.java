package org.ich.explore;

import org.ich.config.CommonConfig;
import org.ich.config.Settings;

import java.net.URI;

/**
 * Typed settings of {@code ich explore} (section {@code ich.explore} of conf/application.conf). The empty-slice
 * threshold is the ETL's own key, so the histogram marks the line the ETL actually drew.
 */
public record ExploreConfig(CommonConfig common, URI out, int samples, double emptyThreshold) {

    public static ExploreConfig from(Settings s) {
        return new ExploreConfig(CommonConfig.from(s), s.storageUri("ich.explore.out"), s.integer("ich.explore.samples", 0, 100),
                s.number("ich.etl.empty-threshold", 0, 1));
    }
}
