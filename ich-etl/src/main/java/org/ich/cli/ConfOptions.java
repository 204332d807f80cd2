package org.ich.cli;

import com.typesafe.config.Config;
import org.ich.config.IchConf;
import org.ich.config.Settings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The options every command shares: {@code --conf FILE} and trailing HOCON {@code key=value} overrides. */
public class ConfOptions {
    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file overriding conf/application.conf")
    File conf;

    @Parameters(paramLabel = "key=value", arity = "0..*", description = "HOCON overrides, e.g. ich.etl.size=128")
    List<String> overrides = new ArrayList<>();

    /**
     * For commands with positional parameters of their own (sql QUERY, bench NAME): picocli hands every positional
     * to this list too, so the command says how many leading ones are its own.
     */
    public ConfOptions skipLeading(int count) {
        ConfOptions copy = new ConfOptions();
        copy.conf = conf;
        copy.overrides = new ArrayList<>(overrides.subList(Math.min(count, overrides.size()), overrides.size()));
        return copy;
    }

    /**
     * A command-line option as a HOCON override of {@code key}, the value as a string literal so URIs with "//",
     * spaces or "#" survive parsing intact.
     */
    public static String stringOverride(String key, String value) {
        StringBuilder b = new StringBuilder(key).append("=\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\');
            b.append(c);
        }
        return b.append('"').toString();
    }

    /** Loads the configuration; {@code extra} are overrides a command derives from its own options (they win). */
    public Settings settings(List<String> extra) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(extra);
        Config config = IchConf.load(conf, all);
        return new Settings(config, Map.copyOf(System.getenv()));
    }

    /** Loads the configuration with {@code defaults} under the command line: the user's key=value pairs beat them. */
    public Settings settingsOver(List<String> defaults) {
        List<String> all = new ArrayList<>(defaults);
        all.addAll(overrides);
        return new Settings(IchConf.load(conf, all), Map.copyOf(System.getenv()));
    }

    public Settings settings() {
        return settings(List.of());
    }
}
