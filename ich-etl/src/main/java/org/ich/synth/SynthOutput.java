package org.ich.synth;

import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ich.cli.UserError;
import org.ich.spark.Storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Where synth's files go, on any storage {@link Storage} reaches. Local files bypass Hadoop's checksum layer, which
 * would otherwise leave a hidden ".name.crc" beside every DICOM file in a folder meant to look like an archive.
 */
final class SynthOutput {
    private final Storage storage;

    SynthOutput(Storage storage) {
        this.storage = storage;
    }

    /**
     * Refuses to mix a new cohort into an old one (stale patients without labels would slip into the ETL), unless
     * {@code replace} allows deleting the old folder first.
     */
    void prepare(URI out, boolean replace) throws IOException {
        FileSystem fs = fs(out);
        Path dir = new Path(out);
        FileStatus[] existing;
        try {
            existing = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return;
        }
        if (existing.length == 0) return;
        if (!replace) {
            throw new UserError("ich.synth.out " + out + " is not empty; choose another --out, delete it, or set ich.synth.replace=true");
        }
        if (dir.isRoot() || dir.depth() < 2) throw new UserError("refusing to delete " + out + ": too close to the root of the file system");
        fs.delete(dir, true);
    }

    OutputStream create(URI uri) throws IOException {
        return fs(uri).create(new Path(uri), true);
    }

    private FileSystem fs(URI uri) throws IOException {
        FileSystem fs = storage.fs(uri);
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }
}
