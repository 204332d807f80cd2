package org.ich.config;

/** A configuration mistake, reported with the key that holds it and how to fix it; ends a job before any work. */
public class ConfigError extends RuntimeException {
    private final String key;

    public ConfigError(String key, String problem) {
        super(key + ": " + problem + " (set it in --conf FILE or as " + key + "=... on the command line;"
                + " every key is documented in conf/application.conf)");
        this.key = key;
    }

    public String key() { return key; }
}
