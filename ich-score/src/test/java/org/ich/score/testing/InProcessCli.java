package org.ich.score.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.ich.cli.Main;

/** Runs an ich command in this JVM as submit/ich would, capturing what it prints (standard output and error). */
public final class InProcessCli {
    private InProcessCli() {
    }

    public record Result(int code, String output) {
    }

    public static synchronized Result run(List<String> args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int code = Main.execute(args.toArray(String[]::new));
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
