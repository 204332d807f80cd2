package org.ich.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads ich's HOCON configuration. Precedence, highest first:
 * <ol>
 *   <li>{@code key=value} pairs on the command line,</li>
 *   <li>JVM system properties starting with {@code ich.} (how spark-submit's --driver-java-options reach us),</li>
 *   <li>the file given with {@code --conf},</li>
 *   <li>the defaults in {@code conf/application.conf}, bundled into the jar.</li>
 * </ol>
 * A key under {@code ich} that the defaults do not define is an error (it is almost always a typo), except below
 * the open maps listed in {@link #OPEN_MAPS}.
 */
public final class IchConf {
    public static final String DEFAULTS_RESOURCE = "org/ich/application.conf";
    /** Sections whose keys are free-form and passed through (e.g. extra Spark settings). */
    static final Set<String> OPEN_MAPS = Set.of("ich.spark.conf");

    private IchConf() {}

    public static Config defaults() {
        return ConfigFactory.parseResources(IchConf.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    public static Config load(File confFile, List<String> overrides) {
        Config defaults = defaults();
        Config file = ConfigFactory.empty();
        if (confFile != null) {
            if (!confFile.isFile()) throw new ConfigError("--conf", "file " + confFile + " does not exist");
            try {
                file = ConfigFactory.parseFile(confFile, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("--conf", "cannot parse " + confFile + ": " + e.getMessage());
            }
        }
        Config system = ConfigFactory.systemProperties().withOnlyPath("ich");
        if (!ConfigFactory.systemProperties().hasPath("ich")) system = ConfigFactory.empty();
        Config merged = parseOverrides(overrides).withFallback(system).withFallback(file).withFallback(defaults);
        try {
            merged = merged.resolve();
        } catch (ConfigException e) {
            throw new ConfigError("ich", "cannot resolve substitutions: " + e.getMessage());
        }
        checkKnownKeys(merged, defaults);
        return merged;
    }

    static Config parseOverrides(List<String> overrides) {
        Config out = ConfigFactory.empty();
        for (String pair : overrides) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new ConfigError(pair, "expected key=value");
            String key = pair.substring(0, eq).trim();
            try {
                Config one = ConfigFactory.parseString(key + " = " + pair.substring(eq + 1),
                        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
                out = one.withFallback(out);
            } catch (ConfigException e) {
                // An unquoted URI such as s3a://bucket/x parses as a comment start; retry it as a string.
                out = ConfigFactory.parseMap(Map.of(key, pair.substring(eq + 1))).withFallback(out);
            }
        }
        return out;
    }

    private static void checkKnownKeys(Config merged, Config defaults) {
        Set<String> unknown = new TreeSet<>();
        for (var entry : merged.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("ich.") || defaults.hasPathOrNull(key) || underOpenMap(key)) continue;
            unknown.add(key);
        }
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw new ConfigError(key, "unknown key" + suggestion(key, defaults)
                    + (unknown.size() > 1 ? "; also unknown: " + new ArrayList<>(unknown).subList(1, unknown.size()) : ""));
        }
    }

    private static boolean underOpenMap(String key) {
        return OPEN_MAPS.stream().anyMatch(m -> key.startsWith(m + "."));
    }

    private static String suggestion(String key, Config defaults) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (var e : defaults.entrySet()) {
            int d = distance(key, e.getKey());
            if (d < bestDistance) { bestDistance = d; best = e.getKey(); }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
