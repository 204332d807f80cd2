package org.ich.etl.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ich.cli.UserError;

import java.net.URI;

/**
 * Lists every file under the input URI, recursively and whatever its name, with its size. Spark's binaryFile
 * source lists in parallel on large trees and reads no content unless asked, which is what we want here.
 */
final class DicomListing {
    private DicomListing() {}

    static Dataset<Row> list(SparkSession spark, URI input) {
        try {
            return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input.toString())
                    .select("path", "length");
        } catch (Exception e) {
            if (e.getMessage() != null && e.getMessage().contains("Path does not exist")) {
                throw new UserError("ich.etl.input: " + input + " does not exist; point ich.etl.input at a folder of DICOM files"
                        + " (e.g. submit/ich synth writes some to work/dicom)", e);
            }
            throw e;
        }
    }
}
