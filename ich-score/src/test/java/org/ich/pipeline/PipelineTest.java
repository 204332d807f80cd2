package org.ich.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.ich.score.testing.InProcessCli;
import org.ich.synth.PatientPlan;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.spark.IchSpark;
import org.ich.testing.TestSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.types.DataTypes;
import org.ich.score.testing.ScoringFixture;
import org.ich.testing.SyntheticArchive;
import org.ich.train.registry.RegistryJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** ich pipeline through the CLI, on its own warehouse and registry: nightly runs, reruns, the lock, failures. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTest {
    @TempDir
    static Path dir;
    static Path incoming;
    static SyntheticArchive archive;
    /** What would identify a patient: every UID, name and ID synth wrote, and the markers put into folder and file names. */
    static final Set<String> identifying = new LinkedHashSet<>();
    static String firstRunOutput;

    @BeforeAll
    static void archive() throws IOException {
        // Another test class's session would bring its own warehouse: each in-process command here starts and stops its own.
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        incoming = dir.resolve("incoming");
        archive = SyntheticArchive.write(incoming, 5, "ich.synth.min-slices=8", "ich.synth.max-slices=10", "ich.synth.seed=21");
        withIdentifyingPaths(archive);
    }

    /**
     * Archives name folders and files after patients: each patient folder gets the patient's MRN and a marker, each
     * file a marker, and one unreadable file sits among them (it ends in quarantine, whose messages name files).
     */
    static void withIdentifyingPaths(SyntheticArchive archive) throws IOException {
        for (PatientPlan p : archive.cohort().patients()) {
            Path from = archive.dicom().resolve(p.patientFolder());
            Path to = archive.dicom().resolve(p.patientFolder() + "-PHIFOLDER-" + p.phi().patientId());
            Files.move(from, to);
            try (Stream<Path> files = Files.walk(to)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) Files.move(f, f.resolveSibling("PHIFILE-" + f.getFileName()));
            }
            identifying.addAll(List.of("PHIFOLDER", "PHIFILE", p.series().studyUid(), p.series().seriesUid(),
                    p.series().frameOfReferenceUid()));
            identifying.addAll(p.series().sopUids());
        }
        identifying.addAll(archive.cohort().identifyingStrings());
        Path anyFolder = archive.dicom().resolve(archive.cohort().patients().get(0).patientFolder() + "-PHIFOLDER-"
                + archive.cohort().patients().get(0).phi().patientId());
        Files.write(anyFolder.resolve("PHIFILE-broken.dcm"), "not a DICOM file".getBytes());
    }

    record Run(int code, String output) {
    }

    static Run pipeline(String... more) {
        List<String> args = new ArrayList<>(List.of("pipeline"));
        args.addAll(ScoringFixture.overrides(dir, "ich.etl.input=\"" + incoming.resolve("dicom").toUri() + "\"",
                "ich.etl.labels=\"" + incoming.resolve("labels.csv").toUri() + "\"", "ich.train.epochs=1",
                "ich.pipeline.runs=\"" + dir.resolve("runs").toUri() + "\""));
        args.addAll(List.of(more));
        InProcessCli.Result r = InProcessCli.run(args);
        return new Run(r.code(), r.output());
    }

    /** The newest run summary. */
    static JsonNode lastSummary() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("runs"))) {
            Path newest = files.filter(f -> f.getFileName().toString().endsWith(".json")).max(Path::compareTo).orElseThrow();
            return RegistryJson.tree(Files.readString(newest));
        }
    }

    static JsonNode step(JsonNode summary, String name) {
        for (JsonNode s : summary.get("steps")) if (s.get("name").asText().equals(name)) return s;
        throw new AssertionError("no step " + name + " in " + summary);
    }

    static long count(String sql) {
        List<String> args = new ArrayList<>(List.of("sql", sql, "--format", "csv"));
        args.addAll(ScoringFixture.overrides(dir));
        InProcessCli.Result r = InProcessCli.run(args);
        assertEquals(0, r.code(), r.output());
        List<String> lines = r.output().lines().filter(l -> l.matches("\\d+")).toList();
        return Long.parseLong(lines.get(lines.size() - 1));
    }

    @Test
    @Order(1)
    void aFirstRunIngestsTrainsPromotesAndScores() throws IOException {
        Run run = pipeline();
        assertEquals(0, run.code(), run.output());
        firstRunOutput = run.output();
        JsonNode summary = lastSummary();
        assertEquals("SUCCEEDED", summary.get("status").asText());
        JsonNode etl = step(summary, "etl").get("figures");
        assertTrue(etl.get("new_slices").asLong() > 0);
        assertEquals(etl.get("listed").asLong(), etl.get("new_slices").asLong() + etl.get("new_quarantined").asLong()
                + etl.get("new_waiting").asLong(), "every file counted once in the run JSON: " + etl);
        for (String count : List.of("new_waiting", "waiting_total", "stuck", "bad_label_rows")) {
            assertEquals(0, etl.get(count).asLong(), "the run JSON counts " + count + ": " + etl);
        }
        JsonNode train = step(summary, "train");
        assertEquals("done", train.get("status").asText(), train.toString());
        assertTrue(train.get("figures").get("promoted").asBoolean(), "the first version becomes the champion");
        assertEquals(summary.get("models").get("trained").asText(), summary.get("models").get("champion_after").asText());
        // Evaluated on valid before promotion, its card written, its headline in the summary.
        String trained = summary.get("models").get("trained").asText();
        JsonNode evaluate = step(summary, "evaluate");
        assertEquals(trained, evaluate.get("figures").get("version").asText());
        assertEquals(count("SELECT count(DISTINCT study_key) FROM slices WHERE split = 'valid'"),
                summary.get("headline").get("studies").asLong());
        assertTrue(count("SELECT count(*) FROM evaluations WHERE model_version = '" + trained + "' AND split = 'valid'") > 0);
        Path card = Path.of(URI.create(step(summary, "model-card").get("figures").get("location").asText()));
        assertTrue(Files.readString(card).contains("Operating points"), card.toString());
        long slices = count("SELECT count(*) FROM slices");
        // The evaluation scored the valid split with the new version before it became the champion.
        assertEquals(count("SELECT count(*) FROM slices WHERE split <> 'valid'"),
                step(summary, "score").get("figures").get("scored").asLong());
        assertEquals(slices, count("SELECT count(*) FROM predictions"));
        assertEquals(count("SELECT count(DISTINCT study_key) FROM slices"), count("SELECT count(*) FROM study_predictions"));
    }

    @Test
    @Order(2)
    void noIdentifierReachesATableAReportACardASummaryOrTheOutput() throws IOException {
        InProcessCli.Result report = InProcessCli.run(new ArrayList<>(concat(List.of("report"), ScoringFixture.overrides(dir))));
        assertEquals(0, report.code(), report.output());
        String pattern = identifying.stream().map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.joining("|"));
        // Every analyst table, every column but the tensors, nested and JSON values included, as one JSON text per row.
        Settings settings = TestSettings.under(dir, ScoringFixture.overrides(dir).toArray(String[]::new));
        CommonConfig common = CommonConfig.from(settings);
        try (SparkSession spark = IchSpark.session(common, "pipeline-test-phi")) {
            List<String> tables = spark.sql("SHOW TABLES").select("tableName").as(Encoders.STRING()).collectAsList();
            assertTrue(tables.containsAll(List.of("slices", "quarantine", "predictions", "study_predictions", "slice_embeddings",
                    "slice_heatmaps", "evaluations")), tables.toString());
            for (String table : tables) {
                Column[] text = Arrays.stream(spark.table(table).schema().fields())
                        .filter(f -> !f.dataType().equals(DataTypes.BinaryType)).map(f -> col(f.name())).toArray(Column[]::new);
                List<String> leaks = spark.table(table).select(to_json(struct(text)).as("j")).where(col("j").rlike(pattern))
                        .as(Encoders.STRING()).limit(3).collectAsList();
                assertTrue(leaks.isEmpty(), "an identifier in " + table + ": " + leaks);
            }
        }
        assertTrue(count("SELECT count(*) FROM quarantine") > 0, "the broken file is quarantined, by key");
        // Reports, the model card, the registry's metrics and the run summaries.
        List<Path> written;
        try (Stream<Path> files = Stream.of("runs", "models", "reports").map(dir::resolve).filter(Files::isDirectory)
                .flatMap(d -> { try { return Files.walk(d); } catch (IOException e) { throw new java.io.UncheckedIOException(e); } })) {
            written = files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(html|json|csv|txt|md)$")).toList();
        }
        assertTrue(written.stream().anyMatch(f -> f.toString().endsWith("index.html")), written.toString());
        for (Path f : written) assertNoIdentifier(Files.readString(f), f.toString());
        assertNoIdentifier(firstRunOutput, "the pipeline's output");
        assertNoIdentifier(report.output(), "the report's output");
        // The crosswalk holds them: the operator's view names the broken file's path.
        InProcessCli.Result paths = InProcessCli.run(concat(List.of("etl", "--show-paths"), ScoringFixture.overrides(dir)));
        assertEquals(0, paths.code(), paths.output());
        assertTrue(paths.output().contains("PHIFILE-broken.dcm") && paths.output().contains("NOT_DICOM"), paths.output());
    }

    static void assertNoIdentifier(String text, String where) {
        for (String s : identifying) assertFalse(text.contains(s), "'" + s + "' in " + where);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    @Order(3)
    void aRerunWithNothingNewTrainsNothingAndScoresNothing() throws IOException {
        long predictions = count("SELECT count(*) FROM predictions");
        Run run = pipeline();
        assertEquals(0, run.code(), run.output());
        JsonNode summary = lastSummary();
        assertEquals(0, step(summary, "etl").get("figures").get("new_slices").asLong());
        assertEquals("skipped", step(summary, "train").get("status").asText());
        assertEquals(0, step(summary, "score").get("figures").get("scored").asLong());
        assertEquals(predictions, count("SELECT count(*) FROM predictions"));
    }

    @Test
    @Order(4)
    void aSecondRunWhileOneHoldsTheLockStopsAtOnceAndAStaleLockIsTakenOver() throws IOException {
        java.net.URI lock = dir.resolve("runs").resolve(PipelineJob.LOCK).toUri();
        FileSystem fs = FileSystem.get(lock, new Configuration());
        long summaries;
        try (PipelineLock held = PipelineLock.acquire(fs, lock, Duration.ofMinutes(10), Clock.systemUTC(), System.out)) {
            summaries = summaries();
            Run refused = pipeline();
            assertEquals(2, refused.code(), refused.output());
            assertTrue(refused.output().contains("another ich pipeline run holds"), refused.output());
            assertEquals(summaries, summaries(), "a refused run does nothing, not even a summary");
        }
        // A killed run's lock: present but not renewed for longer than the stale limit.
        Files.writeString(Path.of(lock), "12345@killed-host at 2026-01-01T00:00:00Z\n");
        Files.setLastModifiedTime(Path.of(lock), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Run run = pipeline("ich.pipeline.train=never");
        assertEquals(0, run.code(), run.output());
        assertTrue(run.output().contains("taking over the lock"), run.output());
        assertTrue(!Files.exists(Path.of(lock)), "released at the end");
    }

    @Test
    @Order(5)
    void newStudiesAreIngestedTrainedOnFromTheChampionAndScored() throws IOException {
        SyntheticArchive.write(dir.resolve("more"), 1, "ich.synth.min-slices=8", "ich.synth.max-slices=8", "ich.synth.seed=99");
        // New files arrive under the input folder, as a nightly drop would.
        try (Stream<Path> files = Files.walk(dir.resolve("more").resolve("dicom"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = incoming.resolve("dicom").resolve("night-2").resolve(dir.resolve("more").resolve("dicom").relativize(f));
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        Run run = pipeline();
        assertEquals(0, run.code(), run.output());
        assertTrue(run.output().contains("continuing from the weights of"), "warm start from the champion");
        assertTrue(run.output().contains("context stage continuing from the weights of"), "both stages warm-started");
        JsonNode summary = lastSummary();
        assertEquals(8, step(summary, "etl").get("figures").get("new_slices").asLong());
        assertEquals("done", step(summary, "train").get("status").asText());
        String champion = summary.get("models").get("champion_after").asText();
        assertEquals(count("SELECT count(*) FROM slices"),
                count("SELECT count(*) FROM predictions WHERE model_version = '" + champion + "'"),
                "the champion has scored every slice, each once");
    }

    @Test
    @Order(6)
    void aFailingStepFailsTheRunWithANonZeroExitAndASummary() throws IOException {
        long before = summaries();
        Run run = pipeline("ich.etl.input=\"" + dir.resolve("no-such-folder").toUri() + "\"");
        assertNotEquals(0, run.code(), run.output());
        assertEquals(before + 1, summaries());
        JsonNode summary = lastSummary();
        assertEquals("FAILED", summary.get("status").asText());
        assertTrue(summary.get("failure").asText().contains("no-such-folder"), summary.toString());
    }

    static long summaries() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("runs"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }
}
