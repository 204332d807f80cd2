package org.ich.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rows a run decided on, saved to reliable storage under {@code <warehouse>/_<job>_checkpoints} with their lineage cut.
 * A job that commits to a table it also read from needs this: Spark re-plans cached reads of a table after a write to
 * it, so "rows not yet in the table" would turn empty right after the run's own commit, and an executor lost after
 * that point would have its share recomputed from the new state.
 */
public final class RunCheckpoints {
    private final SparkSession spark;
    private final URI dir;
    private final String job;

    public RunCheckpoints(SparkSession spark, URI warehouse, String job) {
        this.spark = spark;
        this.job = job;
        this.dir = Storage.child(warehouse, "_" + job + "_checkpoints");
    }

    public Dataset<Row> save(Dataset<Row> rows) {
        spark.sparkContext().setCheckpointDir(dir.toString());
        return rows.checkpoint(true);
    }

    /** Called when the run's commits are done; a leftover folder is harmless and the next run replaces it. */
    public void drop(PrintStream out) {
        try {
            Path path = new Path(dir);
            path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
        } catch (IOException e) {
            out.println(job + ": could not remove " + dir + " (" + e.getMessage() + "); safe to delete by hand");
        }
    }
}
