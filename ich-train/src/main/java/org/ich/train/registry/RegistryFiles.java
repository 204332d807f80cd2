package org.ich.train.registry;

import org.ich.spark.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The file operations the registry needs, each with the strongest atomicity the storage offers. Local folders go
 * through java.nio (rename(2), O_EXCL); HDFS and s3a through Hadoop's FileSystem.
 */
interface RegistryFiles {

    /** Writes the body of a file. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A held lock; closing releases it. */
    interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    static RegistryFiles on(Storage storage, URI root) {
        return "file".equals(root.getScheme()) ? new LocalRegistryFiles() : new HadoopRegistryFiles(storage);
    }

    /** The file's bytes, or empty when there is no such file. */
    Optional<byte[]> read(URI file) throws IOException;

    /** Streams a file that must exist. */
    InputStream open(URI file) throws IOException;

    /** Replaces the file so that a reader sees either the old or the new content in full, never a mix or a stub. */
    void replace(URI file, Body body) throws IOException;

    default void replace(URI file, byte[] content) throws IOException {
        replace(file, out -> out.write(content));
    }

    /** Writes a new file that appears complete or not at all; fails if the file already exists. */
    void publish(URI file, Body body) throws IOException;

    void mkdirs(URI dir) throws IOException;

    boolean exists(URI path) throws IOException;

    /** Names of the folders directly inside dir; empty when dir does not exist. */
    List<String> folders(URI dir) throws IOException;

    /** Names of the files directly inside dir (temp files of unfinished writes excluded); empty when dir does not exist. */
    List<String> files(URI dir) throws IOException;

    /** Whether a name is one of the hidden temp files a write in progress (or a killed one) leaves beside its target. */
    static boolean temp(String name) {
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /** Size in bytes, or -1 when the file does not exist. */
    long size(URI file) throws IOException;

    /**
     * Takes an exclusive lock by creating the lock file, waiting up to {@code wait} for another holder to release it.
     * Exclusive on local folders and HDFS; on s3a see {@link HadoopRegistryFiles#lock}.
     */
    Lock lock(URI lockFile, Duration wait) throws IOException;
}
