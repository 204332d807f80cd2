package org.ich.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Submits a job to a {@link StandaloneCluster} and, while it runs, SIGKILLs the executor JVM that runs a task of a
 * chosen stage (what the stage computes is matched against its RDD's creation site in the driver log): the executor
 * of this application, never the driver.
 */
final class ExecutorKill {

    /**
     * The executor killed: its JVM and ids, the task it was running, how many tasks of the chosen stages it had
     * finished before, and when (seconds after submitting).
     */
    record Kill(long pid, int worker, String appId, String executorId, SparkDriverLog.Task task,
                List<SparkDriverLog.Task> finishedBefore, double atSeconds) {
        @Override
        public String toString() {
            return String.format("executor %s of %s (pid %d on worker-%d) at %.1f s, running TID %d (partition %d, stage"
                            + " %d: %s) after finishing %d task(s) of such stages", executorId, appId, pid, worker, atSeconds,
                    task.tid(), task.partition(), task.stage(), task.stageRdd(), finishedBefore.size());
        }
    }

    /** How the job ended, what the driver printed, and the kill, if one happened before the job ended. */
    record Outcome(int exitCode, String driverLog, Optional<Kill> kill, Map<Integer, String> stages) {
    }

    private ExecutorKill() {}

    /**
     * Kills the executor of the first task the driver starts in a matching stage on an executor that has already
     * finished {@code finishedBefore} tasks of matching stages, as soon as the driver log shows it running (polled
     * every 100 ms), and waits for the job to end.
     *
     * @param stage          which stages' tasks may be hit, by the RDD description the driver logged for the stage
     * @param finishedBefore tasks of matching stages the executor must have finished (so that their cached or
     *                       shuffle output dies with it)
     */
    static Outcome submit(Path dir, StandaloneCluster cluster, Map<String, String> env, List<String> jobArgs,
                          Predicate<String> stage, int finishedBefore, Duration timeout) throws IOException, InterruptedException {
        Path logFile = dir.resolve("submit.log");
        Files.deleteIfExists(logFile);
        SparkDriverLog log = new SparkDriverLog(logFile);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Kill kill = null;
        Process submit = Submit.start(dir, cluster, env, jobArgs);
        try {
            while (!submit.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("job still running after " + timeout + "; kill: " + kill + "\n"
                            + Files.readString(logFile) + cluster.logs());
                }
                log.update();
                if (kill != null || log.appId() == null) continue;
                for (SparkDriverLog.Task task : log.running()) {
                    if (!stage.test(task.stageRdd())) continue;
                    List<SparkDriverLog.Task> done = log.finished().stream()
                            .filter(t -> t.executor().equals(task.executor()) && stage.test(t.stageRdd())).toList();
                    if (done.size() < finishedBefore) continue;
                    kill = kill(cluster, submit, log.appId(), task, done, (System.nanoTime() - start) / 1e9);
                    if (kill != null) break;
                }
            }
            log.update();
            return new Outcome(submit.exitValue(), Files.readString(logFile), Optional.ofNullable(kill), log.stages());
        } finally {
            stop(submit);
        }
    }

    /** Kills the executor JVM of {@code appId} that the driver says runs {@code task}; null if it is not (yet) found. */
    private static Kill kill(StandaloneCluster cluster, Process submit, String appId, SparkDriverLog.Task task,
                             List<SparkDriverLog.Task> done, double at) {
        Set<Long> driverSide = submit.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        driverSide.add(submit.pid());
        driverSide.add(ProcessHandle.current().pid());
        for (StandaloneCluster.ExecutorJvm executor : cluster.executorJvms()) {
            if (!appId.equals(executor.appId()) || !task.executor().equals(executor.executorId())) continue;
            if (driverSide.contains(executor.process().pid())) {
                throw new AssertionError("executor " + executor + " is the driver or this test JVM");
            }
            executor.process().destroyForcibly();
            try {
                executor.process().onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("executor " + executor.process().pid() + " did not die after SIGKILL", e);
            }
            return new Kill(executor.process().pid(), executor.worker(), appId, executor.executorId(), task, done, at);
        }
        return null;
    }

    /** Stops spark-submit.sh and the driver JVM under it, if still running. */
    static void stop(Process submit) {
        List<ProcessHandle> children = submit.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        submit.destroy();
        for (ProcessHandle p : children) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        try {
            if (!submit.waitFor(20, TimeUnit.SECONDS)) submit.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            submit.destroyForcibly();
        }
    }
}
