package org.ich.train.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.job.EtlJob;
import org.ich.spark.IchSpark;
import org.ich.testing.SyntheticArchive;
import org.ich.testing.TestSettings;
import org.ich.train.job.SparkSetup;

/**
 * A real {@code slices} table for the training tests, made once per test JVM: synthetic DICOM studies with
 * visible bleeds, through the real ETL at 64 px, split by patient into train and valid only. The Spark
 * session is the training one (ND4J's Kryo registrator), shared by every training test class.
 */
public final class TrainingFixture {

    public static final int PATIENTS = 16;
    public static final int SIZE = 64;
    /** Folder of the cohort's blood masks (ich.synth.masks), beside its DICOM folder. */
    public static final String MASKS = "masks";

    private static TrainingFixture instance;

    private final Path dir;
    private final SyntheticArchive archive;
    private final Settings settings;
    private SparkSession spark;

    private TrainingFixture(Path dir, SyntheticArchive archive, Settings settings, SparkSession spark) {
        this.dir = dir;
        this.archive = archive;
        this.settings = settings;
        this.spark = spark;
    }

    public static synchronized TrainingFixture get() throws IOException {
        if (instance == null) {
            Path dir = Files.createTempDirectory("ich-train-fixture");
            SyntheticArchive archive = SyntheticArchive.write(dir, PATIENTS, "ich.synth.bleed-fraction=1",
                    "ich.synth.min-slices=8", "ich.synth.max-slices=10", "ich.synth.seed=11",
                    "ich.synth.masks=\"" + dir.resolve(MASKS).toUri() + "\"");
            List<String> etl = new ArrayList<>(List.of("ich.etl.input=\"" + archive.dicom().toUri() + "\"",
                    "ich.etl.labels=\"" + archive.labels().toUri() + "\""));
            Settings settings = TestSettings.under(dir, withDefaults(etl.toArray(String[]::new)));
            EtlConfig config = EtlConfig.from(settings);
            SparkSession spark = session(settings);
            new EtlJob(spark, config).run();
            instance = new TrainingFixture(dir, archive, settings, spark);
        }
        return instance;
    }

    /** The one session of the test JVM, started with the training settings (a session without them is stopped). */
    private static SparkSession session(Settings settings) {
        SparkSession.getDefaultSession().foreach(existing -> {
            if (!existing.sparkContext().conf().contains("spark.kryo.registrator")) {
                existing.stop();
            }
            return null;
        });
        return IchSpark.session(SparkSetup.forTraining(org.ich.config.CommonConfig.from(settings)), "ich-train-test");
    }

    /** Settings for a test: the fixture's warehouse, 64 px, a tiny net, plus the test's own overrides. */
    public Settings settings(Path work, String... overrides) {
        return TestSettings.under(dir, overrides(work, overrides).toArray(String[]::new));
    }

    /**
     * The same as command-line {@code key=value} pairs (TestSettings' own included), for runs through the CLI;
     * {@code work} holds the test's registry, DL4J exports and charts.
     */
    public List<String> overrides(Path work, String... overrides) {
        List<String> all = new ArrayList<>(TestSettings.overrides(dir));
        all.addAll(List.of(withDefaults(
                "ich.train.architecture=tiny",
                // The slice stage's tests; the context stage's own (ContextTrainingTest) turn it on.
                "ich.train.sequence.enabled=false",
                "ich.registry.root=\"" + work.resolve("models").toUri() + "\"",
                "ich.train.rdd-approach=direct",
                "ich.train.export-dir=\"" + work.resolve("export").toUri() + "\"",
                "ich.train.lr-find.out=\"" + work.resolve("lr-find").toUri() + "\"")));
        all.addAll(Arrays.asList(overrides));
        return all;
    }

    /**
     * Stops the session; each training test class calls this when done. Spark keeps one session per JVM and its
     * catalog points at this fixture's warehouse, so a test class of another module part that followed would
     * otherwise be handed this session and these tables.
     */
    public static synchronized void stopSession() {
        if (instance != null && !instance.spark.sparkContext().isStopped()) {
            instance.spark.stop();
        }
    }

    /** The session, started again if it was stopped (by {@link #stopSession()} or another test class). */
    public synchronized SparkSession spark() {
        if (spark.sparkContext().isStopped()) {
            spark = session(settings);
        }
        return spark;
    }

    public Path dir() {
        return dir;
    }

    /** The cohort's DICOM files, as the ETL read them. */
    public Path dicom() {
        return archive.dicom();
    }

    /** The blood masks: {@code <SOPInstanceUID>.png} for each slice labelled positive. */
    public Path masks() {
        return dir.resolve(MASKS);
    }

    /** The settings the fixture's ETL ran with (its pixel parameters and pseudonym key). */
    public Settings etlSettings() {
        return settings;
    }

    private static String[] withDefaults(String... overrides) {
        List<String> all = new ArrayList<>(List.of("ich.etl.size=" + SIZE, "ich.etl.split.train=0.5",
                "ich.etl.split.valid=0.5", "ich.etl.split.test=0"));
        all.addAll(Arrays.asList(overrides));
        return all.toArray(String[]::new);
    }
}
