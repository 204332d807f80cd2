package org.ich.spark;

import java.io.PrintStream;
import java.util.function.Supplier;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the phases of a job: each under a Spark job group and description ({@code ich etl: decode}), so the Spark UI
 * and the event log say what every Spark job was for, and prints how long it took, so a slow nightly run shows where
 * its time went.
 */
public final class Phases {
    private static final String GROUP = "spark.jobGroup.id";
    private static final String DESCRIPTION = "spark.job.description";
    private static final String INTERRUPT = "spark.job.interruptOnCancel";

    private final SparkContext spark;
    private final String job;
    private final PrintStream out;

    public Phases(SparkSession spark, String job, PrintStream out) {
        this.spark = spark.sparkContext();
        this.job = job;
        this.out = out;
    }

    public <T> T time(String phase, Supplier<T> work) {
        long t0 = System.nanoTime();
        T result = described(phase, work);
        out.printf("%s: %s in %.1f s%n", job, phase, (System.nanoTime() - t0) / 1e9);
        return result;
    }

    public void run(String phase, Runnable work) {
        time(phase, () -> {
            work.run();
            return null;
        });
    }

    /** {@code work}'s Spark jobs, named {@code ich <job>: <phase>}; the caller's group and description come back after. */
    public <T> T described(String phase, Supplier<T> work) {
        String group = spark.getLocalProperty(GROUP), description = spark.getLocalProperty(DESCRIPTION);
        String interrupt = spark.getLocalProperty(INTERRUPT);
        spark.setJobGroup("ich " + job, "ich " + job + ": " + phase, false);
        try {
            return work.get();
        } finally {
            spark.setLocalProperty(GROUP, group);
            spark.setLocalProperty(DESCRIPTION, description);
            spark.setLocalProperty(INTERRUPT, interrupt);
        }
    }
}
