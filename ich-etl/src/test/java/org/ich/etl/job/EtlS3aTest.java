package org.ich.etl.job;

import org.ich.synth.Cohort;
import org.ich.synth.SynthConfig;
import org.ich.testing.ChildJvm;
import org.ich.testing.S3Server;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end through the command line, as users run it: synth writes DICOMs to a real S3-API server on 127.0.0.1,
 * the ETL reads them over s3a with credentials from the environment, and sql answers from the tables. Also checks
 * that no secret and no synthetic patient identifier reaches any output of the three jobs.
 */
class EtlS3aTest {
    static final String PSEUDONYM_KEY = "test-pseudonym-key-0123456789";
    static final List<String> SMALL = List.of("ich.synth.matrix=128", "ich.synth.min-slices=8", "ich.synth.max-slices=10",
            "ich.synth.bleed-fraction=1", "ich.etl.size=32");

    @Test
    void synthEtlAndSqlOverS3a(@TempDir Path dir) throws Exception {
        try (S3Server s3 = S3Server.start(dir, "ich-raw")) {
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                    "ICH_PSEUDONYM_KEY", PSEUDONYM_KEY);
            List<String> conf = new ArrayList<>(TestSettings.overrides(dir));
            conf.addAll(SMALL);
            conf.addAll(List.of("ich.s3.endpoint=\"" + s3.endpoint() + "\"", "ich.s3.path-style-access=true",
                    "ich.s3.region=us-east-1", "ich.privacy.allow-dev-key=false"));

            ChildJvm.Result synth = ChildJvm.run(dir, env, args(conf, "synth", "--patients", "2", "--out", "s3a://ich-raw/dicom/",
                    "--labels", "s3a://ich-raw/labels/labels.csv"));
            assertEquals(0, synth.exitCode(), synth.output());
            ChildJvm.Result etl = ChildJvm.run(dir, env, args(conf, "etl", "--input", "s3a://ich-raw/dicom/",
                    "--labels", "s3a://ich-raw/labels/labels.csv"));
            assertEquals(0, etl.exitCode(), etl.output());
            ChildJvm.Result sql = ChildJvm.run(dir, env, args(conf, "sql", "--format", "csv",
                    "SELECT count(*) AS slices, count(DISTINCT patient_key) AS patients, count(label_any) AS labelled,"
                            + " min(file_key) AS first_file FROM slices"));
            assertEquals(0, sql.exitCode(), sql.output());

            Cohort cohort = Cohort.plan(SynthConfig.from(TestSettings.under(dir, concat(SMALL, "ich.synth.patients=2"))));
            List<String> lines = sql.output().lines().filter(l -> l.startsWith("slices,") || l.matches("\\d+,\\d+,\\d+,[0-9a-f]{32}")).toList();
            assertEquals(List.of("slices,patients,labelled,first_file"), lines.subList(0, 1), sql.output());
            String[] row = lines.get(1).split(",");
            assertEquals(cohort.totalSlices(), Integer.parseInt(row[0]));
            assertEquals(2, Integer.parseInt(row[1]));
            assertEquals(cohort.totalSlices(), Integer.parseInt(row[2]));
            assertEquals(2, lines.size(), "files are named by key, never by path: " + sql.output());

            for (ChildJvm.Result r : List.of(synth, etl, sql)) {
                assertFalse(r.output().contains(S3Server.SECRET_KEY), "secret key printed:\n" + r.output());
                assertFalse(r.output().contains(PSEUDONYM_KEY), "pseudonym key printed:\n" + r.output());
                for (String phi : cohort.identifyingStrings()) assertFalse(r.output().contains(phi), "'" + phi + "' printed:\n" + r.output());
                // Files are named by key: no path below the input folder (the folders are named after patients).
                assertFalse(r != synth && r.output().contains("/dicom/patient-"), "a file's path printed:\n" + r.output());
            }
        }
    }

    @Test
    void aMissingPseudonymKeyStopsProductionRunsNamingTheKey(@TempDir Path dir) throws Exception {
        List<String> conf = new ArrayList<>(TestSettings.overrides(dir));
        conf.add("ich.privacy.allow-dev-key=false");
        ChildJvm.Result r = ChildJvm.run(dir, Map.of(), args(conf, "etl", "--input", dir.toUri().toString()));
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("ich.privacy.pseudonym-key-env") && r.output().contains("ICH_PSEUDONYM_KEY"), r.output());
        assertFalse(Files.exists(dir.resolve("warehouse")), "a refused run writes nothing");
    }

    private static String[] concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private static List<String> args(List<String> conf, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(conf);
        return all;
    }
}
