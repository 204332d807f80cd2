package org.ich.score.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.ich.score.testing.ScoringFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * The README's examples of {@link HemorrhageModel}, run as written: the Java one compiled and run, the Scala one in the
 * Scala interpreter spark-shell is built on, with the example's registry path replaced by the fixture's champion.
 */
class HemorrhageModelReadmeTest {
    private static final String SECTION = "## Using a model in your own Spark code";
    private static final Pattern EXAMPLE_PATH = Pattern.compile("s3a://ich-models/registry/versions/[0-9a-f-]+");

    static ScoringFixture fixture;
    static String versionFolder;

    @BeforeAll
    static void fixture() throws IOException {
        fixture = ScoringFixture.get();
        fixture.spark(); // the examples find the session as a notebook would: the active one
        versionFolder = fixture.dir().resolve("models").resolve("versions").resolve(fixture.champion()).toUri().toString();
    }

    static String example(String language) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf(SECTION);
        assertTrue(from >= 0, "README has the section " + SECTION);
        Matcher block = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(from), "the section has a " + language + " example");
        String code = block.group(1);
        assertTrue(EXAMPLE_PATH.matcher(code).find(), "the example loads a registry version folder");
        return EXAMPLE_PATH.matcher(code).replaceAll(Matcher.quoteReplacement(versionFolder));
    }

    @Test
    void theJavaExampleCompilesAndShowsProbabilities(@TempDir Path dir) throws Exception {
        List<String> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : example("java").lines().toList()) {
            if (line.startsWith("import ")) imports.add(line);
            else body.append("        ").append(line).append('\n');
        }
        Path source = dir.resolve("ReadmeExample.java");
        Files.writeString(source, String.join("\n", imports) + "\n\npublic class ReadmeExample {\n"
                + "    public static void run() {\n" + body + "    }\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, "-classpath", System.getProperty("java.class.path"), "-d",
                dir.toString(), source.toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
        String shown = capture(() -> {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
                loader.loadClass("ReadmeExample").getMethod("run").invoke(null);
            }
        });
        assertTrue(shown.matches("(?s).*\\| *p_any\\| *p_subdural\\|.*"), shown);
        assertTrue(shown.contains("only showing top 5 rows"), shown);
    }

    @Test
    void theScalaExampleRunsInTheInterpreter() throws Exception {
        Settings settings = new Settings();
        settings.processArgumentString("-usejavacp");
        StringWriter log = new StringWriter();
        IMain repl = new IMain(settings, new PrintWriter(log));
        try {
            // spark-shell defines spark; the interpreter here starts without it.
            assertEquals(Results.Success$.MODULE$, repl.interpret("val spark = org.apache.spark.sql.SparkSession.active"), log.toString());
            String code = example("scala");
            String shown = capture(() -> {
                for (String statement : code.split("\\n(?=\\S)")) {
                    Object result = repl.interpret(statement);
                    if (result != Results.Success$.MODULE$) throw new AssertionError(statement + "\n" + log);
                }
            });
            assertTrue((shown + log).contains("max(p_any)"), shown + log);
        } finally {
            repl.close();
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    /** What {@code run} printed to standard output (the examples' show()). */
    private static String capture(Run run) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            scala.Console.withOut(System.out, new scala.runtime.AbstractFunction0<Object>() {
                @Override
                public Object apply() {
                    try {
                        run.run();
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    return null;
                }
            });
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
