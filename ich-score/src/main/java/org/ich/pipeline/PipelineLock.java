package org.ich.pipeline;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ich.cli.UserError;

/**
 * One pipeline run at a time: a lock file the holder renews every {@code stale / 4}. A second run finds it fresh and
 * stops at once; a lock left by a killed run goes stale and the next run takes it over. Creating the file is exclusive
 * on local folders and HDFS; on s3a it is a check-then-write, so schedule the job once (cron, Airflow) there.
 */
public final class PipelineLock implements AutoCloseable {
    private final FileSystem fs;
    private final Path file;
    private final ScheduledExecutorService renewer;

    private PipelineLock(FileSystem fs, Path file, Duration stale) {
        this.fs = fs;
        this.file = file;
        long every = Math.max(1, stale.toMillis() / 4);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ich-pipeline-lock");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    public static PipelineLock acquire(FileSystem fs, URI uri, Duration stale, Clock clock, PrintStream out) throws IOException {
        Path file = new Path(uri);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                write(fs, file, false);
                return new PipelineLock(fs, file, stale);
            } catch (FileAlreadyExistsException e) {
                FileStatus status;
                try {
                    status = fs.getFileStatus(file);
                } catch (FileNotFoundException gone) {
                    continue; // released between our attempt and the look
                }
                Duration age = Duration.between(Instant.ofEpochMilli(status.getModificationTime()), clock.instant());
                String holder = new String(fs.open(file).readAllBytes(), StandardCharsets.UTF_8).trim();
                if (age.compareTo(stale) < 0) {
                    throw new UserError("another ich pipeline run holds " + uri + " (" + holder + ", renewed " + age.toSeconds()
                            + " s ago); this run stops without doing anything. If that run was killed, its lock goes stale"
                            + " after ich.pipeline.lock-stale-seconds = " + stale.toSeconds() + " and the next run takes over");
                }
                out.println("pipeline: taking over the lock of a run that stopped renewing it " + age.toSeconds()
                        + " s ago (" + holder + ")");
                fs.delete(file, false);
            }
        }
        throw new UserError("could not take " + uri + ": other runs keep taking it; is the pipeline scheduled twice?");
    }

    private static void write(FileSystem fs, Path file, boolean overwrite) throws IOException {
        byte[] holder = (ManagementFactory.getRuntimeMXBean().getName() + " at " + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        if ("file".equals(file.toUri().getScheme())) {
            // Hadoop's local file system checks, then creates; the JDK's CREATE_NEW is one atomic step.
            java.nio.file.Path local = java.nio.file.Path.of(file.toUri());
            Files.createDirectories(local.getParent());
            try {
                Files.write(local, holder, overwrite
                        ? new OpenOption[] {StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE}
                        : new OpenOption[] {StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE});
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(file.toString());
            }
            return;
        }
        try (OutputStream o = fs.create(file, overwrite)) {
            o.write(holder);
        }
    }

    private void renew() {
        try {
            write(fs, file, true);
        } catch (IOException e) {
            // The next renewal tries again; a lock that stays stale only lets a later run in after this one's timeout.
        }
    }

    @Override
    public void close() throws IOException {
        renewer.shutdownNow();
        fs.delete(file, false);
    }
}
