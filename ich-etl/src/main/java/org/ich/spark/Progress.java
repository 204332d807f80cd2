package org.ich.spark;

import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints "done/total, rate, ETA" for long Spark work from an accumulator the tasks add to. Accumulators merge
 * when tasks finish, so the figure moves in partition-sized steps.
 */
public final class Progress implements AutoCloseable {
    private final String what;
    private final long total;
    private final LongAccumulator done;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer;

    public Progress(String what, long total, LongAccumulator done, PrintStream out, Duration every) {
        this.what = what;
        this.total = total;
        this.done = done;
        this.out = out;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ich-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void print() {
        out.println(line(what, done.value(), total, (System.nanoTime() - start) / 1e9));
    }

    public static String line(String what, long done, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && total > done ? " ETA " + human((long) ((total - done) / rate)) : "";
        return String.format("%s: %d/%d (%.0f%%), %.1f/s, elapsed %s%s", what, done, total,
                total == 0 ? 100.0 : 100.0 * done / total, rate, human((long) seconds), eta);
    }

    static String human(long seconds) {
        return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }

    @Override
    public void close() {
        timer.shutdownNow();
        print();
    }
}
