package org.ich.spark;

import java.io.PrintStream;
import java.util.function.Supplier;

/** Prints how long each phase of a job took, so a slow nightly run shows where its time went. */
public final class Phases {
    private final String job;
    private final PrintStream out;

    public Phases(String job, PrintStream out) {
        this.job = job;
        this.out = out;
    }

    public <T> T time(String phase, Supplier<T> work) {
        long t0 = System.nanoTime();
        T result = work.get();
        out.printf("%s: %s in %.1f s%n", job, phase, (System.nanoTime() - t0) / 1e9);
        return result;
    }

    public void run(String phase, Runnable work) {
        time(phase, () -> {
            work.run();
            return null;
        });
    }
}
