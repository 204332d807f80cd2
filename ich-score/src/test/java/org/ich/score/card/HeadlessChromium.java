package org.ich.score.card;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, for tests that check a page really lays out: a screenshot of it and its DOM after
 * parsing. Each run gets a fresh profile (deleted afterwards) and nothing from the network.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final long TIMEOUT_SECONDS = 60;

    private HeadlessChromium() {
    }

    /** A screenshot of {@code page} in a window of the given size, written to {@code png}. */
    static void screenshot(Path page, int width, int height, Path png) throws IOException, InterruptedException {
        run(List.of("--window-size=" + width + "," + height, "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(),
                url(page)));
        assertTrue(Files.isRegularFile(png), "chromium wrote no screenshot at " + png);
    }

    /** The DOM of {@code page} as Chromium serialises it after parsing. */
    static String dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url(page)));
    }

    private static String url(Path page) {
        return page.toAbsolutePath().toUri().toString();
    }

    /** Runs chromium with the common flags plus {@code args}; returns its standard output. */
    private static String run(List<String> args) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: install Debian's chromium: apt-get install chromium");
        }
        Path profile = Files.createTempDirectory("ich-chromium-profile");
        Path out = Files.createTempFile("ich-chromium", ".out");
        Path err = Files.createTempFile("ich-chromium", ".err");
        try {
            List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd) + "\n" + tail(err));
            }
            if (p.exitValue() != 0) {
                fail("chromium exited with " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a profile file chromium's last child still held: the temp folder is cleaned up eventually anyway
        }
    }
}
