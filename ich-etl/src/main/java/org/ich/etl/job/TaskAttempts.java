package org.ich.etl.job;

import org.apache.spark.SparkContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How often Spark runs a failing task before it fails the job: the executors' code must know its last chance. */
final class TaskAttempts {
    private static final Pattern LOCAL_WITH_RETRIES = Pattern.compile("local\\[([0-9]+|\\*),\\s*([0-9]+)]");

    private TaskAttempts() {}

    /** local[N,F] -> F; local[N] -> 1 (local mode retries nothing); a cluster -> spark.task.maxFailures (default 4). */
    static int of(SparkContext sc) {
        return of(sc.master(), sc.getConf().getInt("spark.task.maxFailures", 4));
    }

    static int of(String master, int maxFailures) {
        Matcher m = LOCAL_WITH_RETRIES.matcher(master);
        if (m.matches()) return Integer.parseInt(m.group(2));
        return master.startsWith("local") ? 1 : maxFailures;
    }
}
