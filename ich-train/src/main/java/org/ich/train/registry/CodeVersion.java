package org.ich.train.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which code trained a model: the project version and, when the build ran inside a git checkout, the commit. Both come
 * from a properties file the build writes into the jar; a field the build could not fill is null.
 */
public record CodeVersion(String projectVersion, String gitCommit) {
    static final String RESOURCE = "org/ich/train/build.properties";

    public static CodeVersion current() {
        Properties p = new Properties();
        try (InputStream in = CodeVersion.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            return new CodeVersion(null, null);
        }
        return new CodeVersion(filled(p.getProperty("version")), filled(p.getProperty("commit")));
    }

    /** Maven leaves a placeholder it could not resolve as it is, e.g. outside a git checkout. */
    private static String filled(String v) {
        return v == null || v.isBlank() || v.contains("${") ? null : v.trim();
    }
}
