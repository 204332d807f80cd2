package org.ich.train.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.ich.spark.Storage;

/**
 * The files a training run adds to its version folder (metrics, plots, checkpoints), written only through here, each
 * replaced atomically: a reader sees the previous file or the new one in full, never a partial write. On a local
 * folder and HDFS that is a temp file beside the target, then a rename; on s3a it is a single PUT, which S3 makes
 * visible only when the upload completes (no temp object, no rename). {@code model.zip} and {@code manifest.json}
 * stay with {@link ModelRegistry}, which also refuses to overwrite a model.
 */
public final class VersionFolder {
    /** Writes the content of one file. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final RegistryFiles files;
    private final ModelVersion version;

    VersionFolder(RegistryFiles files, ModelVersion version) {
        this.files = files;
        this.version = version;
    }

    public ModelVersion version() { return version; }

    /** Where {@code path} (relative to the version folder, e.g. {@code plots/loss.png}) is, for messages. */
    public URI uri(String path) {
        URI uri = version.dir();
        for (String part : path.split("/")) uri = Storage.child(uri, part);
        return uri;
    }

    public void replace(String path, Content content) throws IOException {
        files.replace(uri(path), content::writeTo);
    }

    public void replace(String path, byte[] content) throws IOException {
        files.replace(uri(path), content);
    }

    /** The file's bytes, or empty when it does not exist. */
    public Optional<byte[]> read(String path) throws IOException {
        return files.read(uri(path));
    }

    public InputStream open(String path) throws IOException {
        return files.open(uri(path));
    }

    public boolean exists(String path) throws IOException {
        return files.exists(uri(path));
    }

    /** Names of the finished files in the folder {@code path}; empty when it does not exist. */
    public List<String> files(String path) throws IOException {
        return files.files(uri(path));
    }
}
