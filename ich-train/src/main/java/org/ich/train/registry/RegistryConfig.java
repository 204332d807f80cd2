package org.ich.train.registry;

import org.ich.config.CommonConfig;
import org.ich.config.Settings;

import java.net.URI;
import java.time.Duration;

/**
 * Typed settings of the model registry (section {@code ich.registry} of conf/application.conf).
 *
 * @param minImprovement how much lower a candidate's validation loss must be to replace the champion
 * @param lockWait       how long a promotion waits for another one to finish
 */
public record RegistryConfig(CommonConfig common, URI root, double minImprovement, Duration lockWait) {

    public static RegistryConfig from(Settings s) {
        return new RegistryConfig(CommonConfig.from(s), s.storageUri("ich.registry.root"),
                s.number("ich.registry.min-improvement", 0, 10),
                Duration.ofSeconds(s.integer("ich.registry.lock-wait-seconds", 0, 3600)));
    }
}
