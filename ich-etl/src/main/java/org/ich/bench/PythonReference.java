package org.ich.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs submit/bench/etl_reference.py (pydicom + numpy + OpenCV) on the benchmark's files, so the ratio is taken
 * against a baseline measured in the same run on the same machine. Returns null when Debian's python3 lacks the
 * packages (apt-get install python3-pydicom python3-opencv).
 */
final class PythonReference {
    static final String PYTHON = "/usr/bin/python3";

    private PythonReference() {}

    static Double run(Path dicom, int size, int passes, PrintStream out) throws Exception {
        Path script = Path.of(System.getProperty("org.ich.home", "."), "submit", "bench", "etl_reference.py");
        if (!Files.isRegularFile(script) || !Files.isExecutable(Path.of(PYTHON))) {
            out.println("# python baseline skipped: " + script + " or " + PYTHON + " missing");
            return null;
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), dicom.toString(), Integer.toString(size), Integer.toString(passes))
                .redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().toList();
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            out.println("# python baseline skipped (needs python3-pydicom and python3-opencv): "
                    + (lines.isEmpty() ? "" : lines.get(lines.size() - 1)));
            return null;
        }
        Double total = null;
        for (String line : lines) {
            if (!line.startsWith("reference.")) continue;
            out.println(line);
            if (line.startsWith("reference.pixel_path.ms_per_slice ")) total = Double.parseDouble(line.split(" ")[1]);
        }
        return total;
    }
}
