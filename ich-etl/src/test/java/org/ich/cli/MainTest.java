package org.ich.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MainTest {
    private static String run(int expectedExit, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true);
        System.setOut(capture);
        System.setErr(capture);
        try {
            assertEquals(expectedExit, Main.execute(args));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buffer.toString();
    }

    @Test
    void noCommandListsTheCommands() {
        String usage = run(0);
        for (String c : List.of("synth", "etl", "explore", "sql", "bench")) assertTrue(usage.contains("  " + c + " "), usage);
    }

    @Test
    void configMistakesExitWithTwoNamingTheKey() {
        String out = run(2, "etl", "ich.etl.sise=12");
        assertTrue(out.contains("ich.etl.sise: unknown key (did you mean ich.etl.size?)"), out);
        out = run(2, "etl", "ich.etl.input=\"ftp://x/y\"");
        assertTrue(out.contains("ich.etl.input: scheme ftp is not supported"), out);
    }

    @Test
    void unknownBenchmarkIsNamed() {
        String out = run(2, "bench", "nonesuch");
        assertTrue(out.contains("no benchmark named nonesuch"), out);
    }

    @Test
    void aQueryThatDoesNotParseSaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String out = run(2, "sql", "selec 1", "ich.warehouse=\"" + dir.toUri() + "\"", "ich.spark.master=\"local[1]\"");
        java.util.regex.Matcher failed = java.util.regex.Pattern.compile("query failed: (.*)").matcher(out);
        assertTrue(failed.find(), out);
        assertTrue(failed.group(1).contains("selec"), "the parse error, not an empty message: " + out);
    }
}
