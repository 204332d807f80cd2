package org.ich.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed, checked reads from the merged configuration. Each getter names the key in its error, so a typed config
 * record is built by a list of calls that read like its documentation.
 */
public final class Settings {
    /** Storage schemes ich reads and writes through Hadoop's FileSystem. */
    public static final Set<String> STORAGE_SCHEMES = Set.of("file", "s3a", "hdfs");

    private final Config config;
    private final Map<String, String> env;

    public Settings(Config config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    public Config config() { return config; }

    public Map<String, String> env() { return env; }

    public String string(String key) {
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
        if (!config.hasPath(key)) return null;
        String v = string(key).trim();
        return v.isEmpty() ? null : v;
    }

    public List<String> strings(String key) {
        try {
            return List.copyOf(config.getStringList(key));
        } catch (ConfigException.Missing e) {
            throw new ConfigError(key, "missing");
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be a list of strings, e.g. [\"a\", \"b\"]");
        }
    }

    public boolean bool(String key) {
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
        long v;
        try {
            v = config.getLong(key);
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be an integer");
        }
        if (v < min || v > max) throw new ConfigError(key, "must be between " + min + " and " + max + ", got " + v);
        return v;
    }

    public double number(String key, double min, double max) {
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
        try {
            return config.getConfigList(key);
        } catch (ConfigException e) {
            throw new ConfigError(key, "must be a list of objects: " + e.getMessage());
        }
    }

    public Map<String, String> stringMap(String key) {
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
        if (uri.getScheme() == null) return new java.io.File(v).getAbsoluteFile().toURI();
        if (!STORAGE_SCHEMES.contains(uri.getScheme())) {
            throw new ConfigError(key, "scheme " + uri.getScheme() + " is not supported in " + v + "; use one of " + STORAGE_SCHEMES);
        }
        if (!uri.getScheme().equals("file") && (uri.getAuthority() == null || uri.getAuthority().isEmpty())) {
            throw new ConfigError(key, "URI " + v + " names no bucket or namenode; expected e.g. " + uri.getScheme() + "://bucket/path");
        }
        return uri;
    }

    /** A secret read from the environment variable whose name the key holds; never from a file. */
    public String secretFromEnv(String key) {
        String var = optionalString(key);
        if (var == null) return null;
        String v = env.get(var);
        return v == null || v.isEmpty() ? null : v;
    }
}
