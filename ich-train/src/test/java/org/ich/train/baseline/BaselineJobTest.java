package org.ich.train.baseline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.Main;
import org.ich.cli.UserError;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.job.EtlJob;
import org.ich.etl.job.SliceTable;
import org.ich.spark.IchSpark;
import org.ich.testing.SyntheticArchive;
import org.ich.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The metadata baseline on a real Iceberg slices table filled by the real ETL from synthetic DICOMs, on local[2], and on
 * a copy of it without labels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BaselineJobTest {
    Path dir;
    SparkSession spark;
    List<String> labelled;

    @BeforeAll
    void ingest(@TempDir Path tmp) throws Exception {
        dir = tmp;
        SyntheticArchive archive = SyntheticArchive.write(dir, 6, "ich.synth.bleed-fraction=1");
        labelled = new ArrayList<>(List.of("ich.etl.input=\"" + archive.dicom().toUri() + "\"", "ich.etl.size=32",
                // Half the patients each side, so both splits hold bleeds and clean slices in a 6-patient cohort.
                "ich.etl.split.train=0.5", "ich.etl.split.valid=0.5", "ich.etl.split.test=0",
                "ich.baseline.trees=10", "ich.baseline.max-depth=4"));
        labelled.add("ich.etl.labels=\"" + archive.labels().toUri() + "\"");

        EtlConfig withLabels = EtlConfig.from(settings(labelled));
        spark = IchSpark.session(withLabels.common(), "baseline-test");
        new EtlJob(spark, withLabels).run();
        // What an ETL run without --labels leaves: the same rows with null labels. Copied rather than ingested again,
        // which would double the test's time for the same table.
        String catalog = withLabels.common().catalog();
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + catalog + ".unlabelled");
        Dataset<Row> rows = spark.table(withLabels.common().table("slices"));
        for (String label : SliceTable.labelColumns()) rows = rows.withColumn(label, lit(null).cast("int"));
        rows.writeTo(catalog + ".unlabelled.slices").using("iceberg").create();
    }

    private Settings settings(List<String> overrides) {
        return TestSettings.under(dir, overrides.toArray(String[]::new));
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    @Order(1)
    void scoresAFiniteAucOnTheValidationPatients() {
        BaselineResult r = new BaselineJob(spark, BaselineConfig.from(settings(labelled))).run();
        assertTrue(r.validAuc() >= 0 && r.validAuc() <= 1, "AUC " + r.validAuc());
        assertTrue(r.train().slices() > 0 && r.valid().slices() > 0, r.toString());
        long total = spark.sql("SELECT count(*) FROM slices WHERE split IN ('train', 'valid') AND label_any IS NOT NULL").first().getLong(0);
        assertEquals(total, r.train().slices() + r.valid().slices());
        assertEquals(0, r.unlabelledSkipped());
        assertEquals(1.0, r.importances().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
        assertTrue(r.importances().keySet().containsAll(List.of("z_position", "manufacturer_index", "brain_fraction")));
        String first = r.lines().get(0);
        assertTrue(first.matches("baseline\\.valid\\.auc_any [01]\\.\\d{6}"), first);

        BaselineResult again = new BaselineJob(spark, BaselineConfig.from(settings(labelled))).run();
        assertEquals(r.validAuc(), again.validAuc(), "same seed, same table, same AUC");
    }

    @Test
    @Order(2)
    void refusesATableWithoutLabels() {
        List<String> unlabelled = new ArrayList<>(labelled);
        unlabelled.add("ich.namespace=unlabelled");
        UserError e = assertThrows(UserError.class, () -> new BaselineJob(spark, BaselineConfig.from(settings(unlabelled))).run());
        assertTrue(e.getMessage().contains("no labelled slices") && e.getMessage().contains("--labels"), e.getMessage());
        assertTrue(e.getMessage().contains(".unlabelled.slices"), e.getMessage());
    }

    @Test
    @Order(3)
    void refusesAMissingTable() {
        List<String> nowhere = new ArrayList<>(labelled);
        nowhere.add("ich.namespace=nothing_here");
        UserError e = assertThrows(UserError.class, () -> new BaselineJob(spark, BaselineConfig.from(settings(nowhere))).run());
        assertTrue(e.getMessage().contains("ich etl"), e.getMessage());
    }

    /** Last: the command stops the session it was handed when it finishes. */
    @Test
    @Order(4)
    void theCommandPrintsTheAucLine() {
        List<String> args = new ArrayList<>(TestSettings.overrides(dir));
        args.addAll(labelled);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.executeOne(new BaselineCommand(), args.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        String line = out.lines().filter(l -> l.startsWith("baseline.valid.auc_any ")).findFirst().orElseThrow(() -> new AssertionError(out));
        double auc = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        assertTrue(Double.isFinite(auc) && auc >= 0 && auc <= 1, line);
        assertTrue(out.contains("baseline.valid.slices "), out);
    }
}
