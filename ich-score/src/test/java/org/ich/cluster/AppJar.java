package org.ich.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The application jar for cluster tests: ich's main classes (module directories in a reactor build, installed jars
 * otherwise) in one jar, with each module's ServiceLoader files concatenated as the shaded ich-jobs.jar has them.
 * Used when the shaded jar, which the package phase builds, is not there (a cluster test started on its own).
 */
final class AppJar {
    private AppJar() {}

    /** ich's own main code: its modules' class directories or jars, but not test classes or test jars. */
    static boolean isIch(Path entry) {
        String s = entry.toString().replace('\\', '/');
        boolean module = s.contains("/org/ich/ich-") || s.matches(".*/ich-[a-z]+/target/classes/?")
                || s.matches(".*/ich-[a-z]+/target/ich-[a-z]+-[^/]*\\.jar");
        return module && !s.contains("test-classes") && !s.endsWith("-tests.jar");
    }

    /**
     * The jar to submit: the shaded ich-jobs.jar when the build made one for this run (failsafe passes its path in
     * {@code ich.jobs.jar}, after the package phase), else one assembled from ich's classes for a test started alone.
     */
    static Path forSubmit(Path dir) throws IOException {
        String shaded = System.getProperty("ich.jobs.jar");
        if (shaded != null && Files.isRegularFile(Path.of(shaded))) return Path.of(shaded);
        return build(dir.resolve("ich-app.jar"));
    }

    static Path build(Path target) throws IOException {
        Map<String, StringBuilder> services = new LinkedHashMap<>();
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Paths.get(entry).toAbsolutePath();
                if (!isIch(path)) continue;
                if (Files.isDirectory(path)) addDirectory(path, out, written, services);
                else if (Files.isRegularFile(path)) addJar(path, out, written, services);
            }
            for (var service : services.entrySet()) {
                out.putNextEntry(new JarEntry(service.getKey()));
                out.write(service.getValue().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return target;
    }

    private static void addDirectory(Path dir, JarOutputStream out, Set<String> written, Map<String, StringBuilder> services) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    add(dir.relativize(file).toString().replace('\\', '/'), in, out, written, services);
                }
            }
        }
    }

    private static void addJar(Path jar, JarOutputStream out, Set<String> written, Map<String, StringBuilder> services) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (entry.isDirectory()) continue;
                try (InputStream in = file.getInputStream(entry)) {
                    add(entry.getName(), in, out, written, services);
                }
            }
        }
    }

    private static void add(String name, InputStream in, JarOutputStream out, Set<String> written,
                            Map<String, StringBuilder> services) throws IOException {
        if (name.startsWith("META-INF/services/")) {
            services.computeIfAbsent(name, k -> new StringBuilder()).append(new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).strip()).append('\n');
        } else if (!name.equals("META-INF/MANIFEST.MF") && written.add(name)) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}
