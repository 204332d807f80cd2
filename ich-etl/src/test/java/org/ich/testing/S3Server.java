package org.ich.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A real S3-API server (Adobe S3Mock, run from its executable jar in its own JVM) on 127.0.0.1 for s3a tests.
 * Started and stopped by the tests; its jar is put in target/s3mock by the build.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private final Process process;
    private final int port;
    private final Path log;

    private S3Server(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static S3Server start(Path workDir, String... buckets) throws IOException, InterruptedException {
        Path jar = locateJar();
        Path ext = writeExtensionJar(workDir.resolve("s3mock-loopback.jar"));
        int port = freePort();
        Path log = workDir.resolve("s3mock.log");
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dloader.path=" + ext, "-cp", jar.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--server.address=127.0.0.1", "--server.port=0", "--http.port=" + port,
                "--com.adobe.testing.s3mock.store.root=" + workDir.resolve("s3-data"),
                "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets),
                "--com.adobe.testing.s3mock.vectors.http.port=0", "--com.adobe.testing.s3mock.vectors.https.port=0",
                "--vectors.http.port=0", "--vectors.https.port=0"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3Server server = new S3Server(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("S3Mock exited early:\n" + Files.readString(log));
            if (Files.readString(log).contains("Started S3MockApplication")) return server;
            Thread.sleep(200);
        }
        server.close();
        throw new IllegalStateException("S3Mock did not start within 90 s:\n" + Files.readString(log));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path locateJar() {
        for (Path candidate : List.of(Paths.get("target/s3mock/s3mock.jar"), Paths.get("../ich-etl/target/s3mock/s3mock.jar"))) {
            if (Files.isRegularFile(candidate)) return candidate.toAbsolutePath();
        }
        throw new IllegalStateException("target/s3mock/s3mock.jar missing: run the tests through Maven (it copies the"
                + " com.adobe.testing:s3mock exec jar there in process-test-resources)");
    }

    /** A jar holding {@link LoopbackConnectors} plus the auto-configuration entry that makes Spring load it. */
    private static Path writeExtensionJar(Path target) throws IOException {
        String classFile = LoopbackConnectors.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target));
             InputStream cls = LoopbackConnectors.class.getClassLoader().getResourceAsStream(classFile)) {
            jar.putNextEntry(new JarEntry(classFile));
            cls.transferTo(jar);
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"));
            jar.write((LoopbackConnectors.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return target;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
