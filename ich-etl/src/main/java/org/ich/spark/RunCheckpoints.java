package org.ich.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD;

/**
 * Rows a run decided on, saved to reliable storage with their lineage cut. A job that commits to a table it also read
 * from needs this: Spark re-plans cached reads of a table after a write to it, so "rows not yet in the table" would
 * turn empty right after the run's own commit, and an executor lost after that point would have its share recomputed
 * from the new state.
 *
 * <p>The application has one checkpoint folder, {@code <warehouse>/_checkpoints/<Spark's id for it>}, set by the first
 * job that needs it unless the session already has one (a user's own); each job removes the files it wrote there when
 * its commits are done. A killed run leaves its folder behind, safe to delete when no ich job runs.
 */
public final class RunCheckpoints {
    private final SparkSession spark;
    private final String job;
    private final List<String> files = new ArrayList<>();

    public RunCheckpoints(SparkSession spark, URI warehouse, String job) {
        this.spark = spark;
        this.job = job;
        if (spark.sparkContext().getCheckpointDir().isEmpty()) {
            spark.sparkContext().setCheckpointDir(Storage.child(warehouse, "_checkpoints").toString());
        }
    }

    public Dataset<Row> save(Dataset<Row> rows) {
        Dataset<Row> saved = rows.checkpoint(true);
        if (saved.queryExecution().logical() instanceof LogicalRDD rdd && rdd.rdd().getCheckpointFile().isDefined()) {
            files.add(rdd.rdd().getCheckpointFile().get());
        }
        return saved;
    }

    /** Called when the run's commits are done; a file left behind is harmless. */
    public void drop(PrintStream out) {
        for (String file : files) {
            try {
                Path path = new Path(file);
                path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
            } catch (IOException e) {
                out.println(job + ": could not remove " + file + " (" + e.getMessage() + "); safe to delete by hand");
            }
        }
        files.clear();
    }
}
