package org.ich.config;

import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;

/**
 * Typed, checked reads from the merged configuration. Each getter names the key in its error, so a typed config
 * record is built by a list of calls that read like its documentation.
 */
public final class Settings {
    /** Storage schemes ich reads and writes through Hadoop's FileSystem. */
    public static final Set<String> STORAGE_SCHEMES = Set.of("file", "s3a", "hdfs");

    private final Config config;
    private final Map<String, String> env;
    private final Reads reads;

    public Settings(Config config, Map<String, String> env) {
        this(config, env, null);
    }

    private Settings(Config config, Map<String, String> env, Reads reads) {
        this.config = config;
        this.env = env;
        this.reads = reads;
    }

    /** What the typed readers read: every key, and the range each number is checked against. */
    public record Reads(Set<String> keys, Map<String, String> ranges) {
        public Reads() {
            this(new TreeSet<>(), new TreeMap<>());
        }
    }

    /** These settings, noting in {@code reads} every key a reader asks for (the test that keys are documented). */
    public Settings recording(Reads reads) {
        return new Settings(config, env, reads);
    }

    private void read(String key) {
        if (reads != null) reads.keys().add(key);
    }

    private void range(String key, Object min, Object max) {
        // A seed takes any long: there is no range to write down.
        boolean any = Long.valueOf(Long.MIN_VALUE).equals(min) && Long.valueOf(Long.MAX_VALUE).equals(max);
        if (reads != null && !any) reads.ranges().put(key, min + " to " + max);
    }

    public Config config() { return config; }

    public Map<String, String> env() { return env; }

    public String string(String key) {
        read(key);
        try {
            return config.getString(key);
        } catch (ConfigException.Missing e) {
            throw new ConfigError(key, "missing");
        } catch (ConfigException.WrongType e) {
            throw new ConfigError(key, "must be a string: " + e.getMessage());
        }
    }

    /** Empty string and null both mean "not set". */
    public String optionalString(String key) {
        read(key);
        if (!config.hasPath(key)) return null;
        String v = string(key).trim();
        return v.isEmpty() ? null : v;
    }

    /**
     * One of {@code type}'s constants, written in the config the way users read them: any case, {@code -} for
     * {@code _} ({@code new-data} is {@code NEW_DATA}). The error names the key, the choices and the value given.
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return choice(key, string(key), type);
    }

    /** As {@link #choice(String, Class)}, for a value found under {@code key} (e.g. an element of its list). */
    public static <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        String normal = value.trim().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(normal)) return constant;
        }
        throw new ConfigError(key, "must be " + choices(type) + ", got \"" + value + "\"");
    }

    /** The constants of {@code type} as the config spells them: {@code a, b or c}. */
    public static <E extends Enum<E>> String choices(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) names.add(spelled(constant));
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** How the config spells a constant: lower case, {@code -} for {@code _}. */
    public static String spelled(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public List<String> strings(String key) {
        read(key);
        try {
            return List.copyOf(config.getStringList(key));
        } catch (ConfigException.Missing e) {
            throw new ConfigError(key, "missing");
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be a list of strings, e.g. [\"a\", \"b\"]");
        }
    }

    /** A list of integers, each within [min, max]; the error names the key and the value out of range. */
    public List<Integer> integers(String key, int min, int max) {
        read(key);
        range(key, min, max);
        List<Integer> values;
        try {
            values = List.copyOf(config.getIntList(key));
        } catch (ConfigException.Missing e) {
            throw new ConfigError(key, "missing");
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be a list of integers, e.g. [64, 128]");
        }
        for (int v : values) {
            if (v < min || v > max) throw new ConfigError(key, "each must be between " + min + " and " + max + ", got " + v);
        }
        return values;
    }

    public boolean bool(String key) {
        read(key);
        try {
            return config.getBoolean(key);
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be true or false");
        }
    }

    public int integer(String key, int min, int max) {
        return (int) longValue(key, min, max); // the range check keeps it within int
    }

    public long longValue(String key, long min, long max) {
        return ranged(key, min, max, config::getLong, "must be an integer", "");
    }

    /** A size in bytes: a plain number or HOCON's size units ("256M", "1 GiB"). */
    public long bytes(String key, long min, long max) {
        return ranged(key, min, max, config::getBytes, "must be a size in bytes, e.g. 268435456 or \"256M\"", " bytes");
    }

    private long ranged(String key, long min, long max, java.util.function.ToLongFunction<String> get, String expected, String unit) {
        read(key);
        range(key, min, max);
        long v;
        try {
            v = get.applyAsLong(key);
        } catch (ConfigException e) {
            throw new ConfigError(key, expected);
        }
        if (v < min || v > max) throw new ConfigError(key, "must be between " + min + " and " + max + unit + ", got " + v);
        return v;
    }

    public double number(String key, double min, double max) {
        read(key);
        range(key, plain(min), plain(max));
        double v;
        try {
            v = config.getDouble(key);
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be a number");
        }
        if (!(v >= min && v <= max)) throw new ConfigError(key, "must be between " + min + " and " + max + ", got " + v);
        return v;
    }

    public List<? extends Config> objects(String key) {
        read(key);
        try {
            return config.getConfigList(key);
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be a list of objects: " + e.getMessage());
        }
    }

    public Map<String, String> stringMap(String key) {
        read(key);
        Map<String, String> out = new TreeMap<>();
        if (!config.hasPath(key)) return out;
        try {
            // Keys such as "spark.sql.shuffle.partitions" are quoted HOCON paths; Spark needs them unquoted.
            for (var e : config.getConfig(key).entrySet()) {
                out.put(String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped()));
            }
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be an object of settings");
        }
        return out;
    }

    /** A storage location: file://, s3a:// or hdfs://; a plain path is taken as a local path. */
    public URI storageUri(String key) {
        return storageUri(key, string(key));
    }

    public URI optionalStorageUri(String key) {
        String v = optionalString(key);
        return v == null ? null : storageUri(key, v);
    }

    public static URI storageUri(String key, String value) {
        String v = value.trim();
        if (v.isEmpty()) throw new ConfigError(key, "must be a URI such as s3a://bucket/path or file:/data, got nothing");
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new ConfigError(key, "not a valid URI: " + v + " (" + e.getReason() + ")");
        }
        if (uri.getScheme() == null) return new File(v).getAbsoluteFile().toURI();
        if (!STORAGE_SCHEMES.contains(uri.getScheme())) {
            throw new ConfigError(key, "scheme " + uri.getScheme() + " is not supported in " + v + "; use one of " + STORAGE_SCHEMES);
        }
        if (!uri.getScheme().equals("file") && (uri.getAuthority() == null || uri.getAuthority().isEmpty())) {
            throw new ConfigError(key, "URI " + v + " names no bucket or namenode; expected e.g. " + uri.getScheme() + "://bucket/path");
        }
        return uri;
    }

    /** A bound as people write it: 0.5, 10, 1e-09. */
    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** A secret read from the environment variable whose name the key holds; never from a file. */
    public String secretFromEnv(String key) {
        String var = optionalString(key);
        if (var == null) return null;
        String v = env.get(var);
        return v == null || v.isEmpty() ? null : v;
    }
}
