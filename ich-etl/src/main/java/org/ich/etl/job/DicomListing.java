package org.ich.etl.job;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ich.cli.UserError;
import org.ich.etl.Pseudonyms;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists every file under the input URI, recursively and whatever its name, with its size. Spark's file sources
 * are not used: they skip empty files and names starting with "_" or ".", and every input file must be accounted
 * for. Hadoop's recursive listFiles is a flat, paged listing on s3a (1,000 keys per request).
 *
 * <p>The modification time is what tells a file rewritten in place (same size, new bytes) from one already read: on
 * S3 it is the time of the object's last PUT, so every overwrite changes it.
 */
public final class DicomListing {
    static final StructType SCHEMA = new StructType().add("path", DataTypes.StringType, false).add("length", DataTypes.LongType, false)
            .add("modified", DataTypes.TimestampType, false).add("file_key", DataTypes.StringType, false);

    private DicomListing() {}

    /** (path, length, modified, file_key): the key is how tables, messages and logs name the file. */
    public static Dataset<Row> list(SparkSession spark, URI input, Pseudonyms pseudonyms) {
        List<Row> files = new ArrayList<>();
        try {
            FileSystem fs = FileSystem.get(input, spark.sparkContext().hadoopConfiguration());
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(input), true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                String path = f.getPath().toString();
                files.add(RowFactory.create(path, f.getLen(), new Timestamp(f.getModificationTime()), pseudonyms.file(path)));
            }
        } catch (FileNotFoundException e) {
            throw new UserError("ich.etl.input: " + input + " does not exist; point ich.etl.input at a folder of DICOM files"
                    + " (e.g. submit/ich synth writes some to work/dicom)", e);
        } catch (IOException e) {
            throw new UserError("ich.etl.input: cannot list " + input + ": " + e.getMessage(), e);
        }
        return spark.createDataFrame(files, SCHEMA);
    }
}
