package org.ich.score.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.etl.EtlConfig;
import org.ich.etl.job.EtlJob;
import org.ich.spark.IchSpark;
import org.ich.testing.SyntheticArchive;
import org.ich.testing.TestSettings;
import org.ich.train.job.SparkSetup;
import org.ich.train.job.TrainConfig;
import org.ich.train.job.TrainJob;
import org.ich.train.registry.ModelRegistry;

/**
 * Tables and models the scoring tests share, made once per test JVM: a small synthetic cohort through the real ETL at
 * 64 px (with labels), and a tiny network trained on it for two epochs by the real training job, which the registry
 * makes its first champion.
 */
public final class ScoringFixture {
    public static final int PATIENTS = 6;
    /** Folder of the cohort's blood masks (ich.synth.masks), beside its DICOM folder. */
    public static final String MASKS = "masks";

    private static ScoringFixture instance;

    private final Path dir;
    private final SyntheticArchive archive;
    private final Settings settings;
    private SparkSession spark;
    private final String champion;

    private ScoringFixture(Path dir, SyntheticArchive archive, Settings settings, SparkSession spark, String champion) {
        this.settings = settings;
        this.dir = dir;
        this.archive = archive;
        this.spark = spark;
        this.champion = champion;
    }

    public static synchronized ScoringFixture get() throws IOException {
        if (instance == null) {
            Path dir = Files.createTempDirectory("ich-score-fixture");
            SyntheticArchive archive = SyntheticArchive.write(dir, PATIENTS, "ich.synth.min-slices=8",
                    "ich.synth.max-slices=10", "ich.synth.seed=5",
                    "ich.synth.masks=\"" + dir.resolve(MASKS).toUri() + "\"");
            Settings settings = TestSettings.under(dir, overrides(dir, "ich.etl.input=\"" + archive.dicom().toUri() + "\"",
                    "ich.etl.labels=\"" + archive.labels().toUri() + "\"", "ich.train.seed=1").toArray(String[]::new));
            SparkSession spark = session(settings);
            new EtlJob(spark, EtlConfig.from(settings)).run();
            TrainJob.Result trained = train(spark, settings);
            instance = new ScoringFixture(dir, archive, settings, spark, trained.version().id());
        }
        return instance;
    }

    /** A model version trained by the real job with these settings; the first one trained becomes the champion. */
    public static TrainJob.Result train(SparkSession spark, Settings settings) throws IOException {
        return new TrainJob(spark, TrainConfig.from(settings), ModelRegistry.from(settings),
                new PrintStream(new ByteArrayOutputStream())).run();
    }

    /** The settings the fixture was made with, as key=value pairs (TestSettings' own included), plus {@code more}. */
    public static List<String> overrides(Path dir, String... more) {
        List<String> all = new ArrayList<>(TestSettings.overrides(dir));
        all.addAll(List.of("ich.etl.size=64", "ich.etl.split.train=0.5", "ich.etl.split.valid=0.5", "ich.etl.split.test=0",
                "ich.train.architecture=tiny", "ich.train.epochs=2", "ich.train.batch-size=8", "ich.train.rdd-approach=direct",
                // Both stages, the context stage small: the champion scores as a two-stage version does.
                "ich.train.sequence.enabled=true", "ich.train.sequence.epochs=3", "ich.train.sequence.hidden=8",
                // Out-of-fold embeddings are ContextTrainingTest's; here they would only add two slice trainings per run.
                "ich.train.sequence.folds=0",
                "ich.train.export-dir=\"" + dir.resolve("export").toUri() + "\"",
                "ich.registry.root=\"" + dir.resolve("models").toUri() + "\"",
                "ich.report.out=\"" + dir.resolve("reports").toUri() + "\""));
        all.addAll(Arrays.asList(more));
        return all;
    }

    public List<String> overrides(String... more) {
        return overrides(dir, more);
    }

    public Settings settings(String... more) {
        return TestSettings.under(dir, overrides(more).toArray(String[]::new));
    }

    public Path dir() { return dir; }

    public SyntheticArchive archive() { return archive; }

    /** The session, started again if a command run in-process stopped it (commands close theirs when done). */
    public synchronized SparkSession spark() {
        if (spark.sparkContext().isStopped()) spark = session(settings);
        return spark;
    }

    private static SparkSession session(Settings settings) {
        return IchSpark.session(SparkSetup.forTraining(CommonConfig.from(settings)), "ich-score-test");
    }

    /** The version id of the champion the fixture trained. */
    public String champion() { return champion; }
}
