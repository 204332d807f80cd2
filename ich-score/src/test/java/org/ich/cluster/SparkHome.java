package org.ich.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** A minimal Spark installation made of links to the test classpath's jars, and where the repository's files are. */
final class SparkHome {
    private SparkHome() {}

    static Path create(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Paths.get(entry).toAbsolutePath();
            // Test jars hold test resources (a quiet log4j2-test.properties) that would reconfigure Spark's own logging.
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar") || jar.toString().endsWith("-tests.jar")
                    || AppJar.isIch(jar)) continue;
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) Files.createSymbolicLink(link, jar);
        }
        // Spark's launcher takes jars/ as the class path only in a "released" layout, marked by this file.
        Files.writeString(home.resolve("RELEASE"), "Spark for ich's cluster tests\n");
        return home;
    }

    static Path jvmOptions() {
        return repoFile("submit/jvm.options");
    }

    static Path repoFile(String relative) {
        for (Path base : List.of(Paths.get("."), Paths.get(".."))) {
            Path p = base.resolve(relative);
            if (Files.exists(p)) return p.toAbsolutePath().normalize();
        }
        throw new IllegalStateException(relative + " not found from " + Paths.get(".").toAbsolutePath());
    }
}
