package org.ich.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a client-mode driver's log (Spark's default log4j profile: scheduler events at INFO) while the job runs:
 * the application id, the stages submitted and what they compute, and which tasks are running on which executor.
 * The lines it reads are Spark 3.5's DAGScheduler, TaskSetManager and StandaloneSchedulerBackend messages.
 */
final class SparkDriverLog {
    private static final Pattern APP_ID = Pattern.compile("Connected to Spark cluster with app ID (app-\\S+)");
    private static final Pattern STAGE = Pattern.compile("Submitting \\d+ missing tasks from (?:Result|ShuffleMap)Stage (\\d+) \\((.*)\\) \\(first");
    private static final Pattern STARTED = Pattern.compile("Starting task (\\d+)\\.(\\d+) in stage (\\d+)\\.\\d+ \\(TID (\\d+)\\) \\([^,]*, executor (\\w+),");
    private static final Pattern FINISHED = Pattern.compile("Finished task \\S+ in stage \\S+ \\(TID (\\d+)\\)");
    /** Finished, Lost, Killed, or "failed because ... its executor exited": any later line about the task attempt. */
    private static final Pattern ENDED = Pattern.compile("task \\S+ in stage \\S+ \\(TID (\\d+)\\)");

    /** A task attempt the driver has started and not yet seen end. */
    record Task(long tid, int stage, int partition, int attempt, String executor, String stageRdd) {
    }

    private final Path file;
    private final Map<Integer, String> stages = new LinkedHashMap<>();
    private final Map<Long, Task> running = new LinkedHashMap<>();
    private final List<Task> finished = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private long offset;
    private String appId;

    SparkDriverLog(Path file) {
        this.file = file;
    }

    /** Reads what the driver wrote since the last call. */
    void update() throws IOException {
        if (!Files.exists(file)) return;
        try (SeekableByteChannel in = Files.newByteChannel(file)) {
            if (in.size() <= offset) return;
            in.position(offset);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(in.size() - offset, 1 << 22));
            while (buffer.hasRemaining() && in.read(buffer) > 0) {
                // fill
            }
            offset += buffer.position();
            partial.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        }
        int end;
        while ((end = partial.indexOf("\n")) >= 0) {
            line(partial.substring(0, end));
            partial.delete(0, end + 1);
        }
    }

    private void line(String line) {
        Matcher m;
        if (appId == null && (m = APP_ID.matcher(line)).find()) {
            appId = m.group(1);
        } else if ((m = STAGE.matcher(line)).find()) {
            stages.put(Integer.parseInt(m.group(1)), m.group(2));
        } else if ((m = STARTED.matcher(line)).find()) {
            int stage = Integer.parseInt(m.group(3));
            long tid = Long.parseLong(m.group(4));
            running.put(tid, new Task(tid, stage, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(5),
                    stages.getOrDefault(stage, "?")));
        } else if ((m = FINISHED.matcher(line)).find()) {
            Task task = running.remove(Long.parseLong(m.group(1)));
            if (task != null) finished.add(task);
        } else if ((m = ENDED.matcher(line)).find()) {
            running.remove(Long.parseLong(m.group(1)));
        }
    }

    String appId() {
        return appId;
    }

    /** Stage id -> the RDD it computes with its creation site, e.g. "MapPartitionsRDD[23] at mapPartitions at EtlJob.java:116". */
    Map<Integer, String> stages() {
        return Map.copyOf(stages);
    }

    List<Task> running() {
        return new ArrayList<>(running.values());
    }

    /** Task attempts that finished successfully, in the order the driver reported them. */
    List<Task> finished() {
        return List.copyOf(finished);
    }
}
