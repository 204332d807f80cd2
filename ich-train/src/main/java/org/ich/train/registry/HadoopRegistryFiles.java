package org.ich.train.registry;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.ich.spark.Storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registry files on HDFS and s3a. HDFS has atomic rename and exclusive create, so it gets temp-then-rename and a real
 * lock. An object store has neither, but a single PUT is atomic: s3a uploads a small file in one PUT when the stream
 * closes, so readers see the previous object or the new one in full.
 */
final class HadoopRegistryFiles implements RegistryFiles {
    private final Storage storage;

    HadoopRegistryFiles(Storage storage) {
        this.storage = storage;
    }

    private static boolean objectStore(URI uri) {
        return "s3a".equals(uri.getScheme());
    }

    @Override
    public Optional<byte[]> read(URI file) throws IOException {
        try (InputStream in = storage.open(file)) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(URI file) throws IOException {
        return storage.open(file);
    }

    @Override
    public void replace(URI file, Body body) throws IOException {
        FileSystem fs = storage.fs(file);
        Path target = new Path(file);
        if (objectStore(file)) {
            // One PUT (a multipart upload completed on close): readers see the old object or the new one in full.
            upload(fs.create(target, true), body);
            return;
        }
        Path temp = tempBeside(target);
        try {
            try (FSDataOutputStream out = fs.create(temp, false)) {
                body.writeTo(out);
            }
            FileContext.getFileContext(file, storage.hadoop()).rename(temp, target, Options.Rename.OVERWRITE);
        } finally {
            fs.delete(temp, false);
        }
    }

    @Override
    public void publish(URI file, Body body) throws IOException {
        FileSystem fs = storage.fs(file);
        Path target = new Path(file);
        if (fs.exists(target)) throw new FileAlreadyExistsException(file.toString());
        if (objectStore(file)) {
            // The object appears only when the upload completes on close; the existence check above can race with a
            // writer of the same version, which the version id (time + run) makes a writer of the same run only.
            upload(fs.create(target, false), body);
            return;
        }
        Path temp = tempBeside(target);
        try {
            try (FSDataOutputStream out = fs.create(temp, false)) {
                body.writeTo(out);
            }
            // HDFS rename fails when the target exists, so a finished file is never replaced.
            if (!fs.rename(temp, target)) throw new FileAlreadyExistsException(file.toString());
        } finally {
            fs.delete(temp, false);
        }
    }

    /**
     * Writes an object-store file that appears only if the body completes: closing an S3A stream uploads what was
     * written, so a body that fails half-way must abort the upload instead (the old object, if any, stays).
     */
    private static void upload(FSDataOutputStream out, Body body) throws IOException {
        try {
            body.writeTo(out);
        } catch (IOException | RuntimeException | Error e) {
            try {
                out.abort();
            } catch (UnsupportedOperationException notAbortable) {
                e.addSuppressed(notAbortable);
            }
            throw e;
        }
        out.close();
    }

    private static Path tempBeside(Path target) {
        return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    }

    @Override
    public void mkdirs(URI dir) throws IOException {
        storage.fs(dir).mkdirs(new Path(dir));
    }

    @Override
    public boolean exists(URI path) throws IOException {
        return storage.fs(path).exists(new Path(path));
    }

    @Override
    public List<String> folders(URI dir) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : storage.fs(dir).listStatus(new Path(dir))) {
                if (s.isDirectory()) out.add(s.getPath().getName());
            }
        } catch (FileNotFoundException e) {
            return List.of();
        }
        return out;
    }

    @Override
    public List<String> files(URI dir) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : storage.fs(dir).listStatus(new Path(dir))) {
                if (s.isFile() && !RegistryFiles.temp(s.getPath().getName())) out.add(s.getPath().getName());
            }
        } catch (FileNotFoundException e) {
            return List.of();
        }
        return out;
    }

    @Override
    public long size(URI file) throws IOException {
        try {
            FileStatus s = storage.fs(file).getFileStatus(new Path(file));
            return s.isFile() ? s.getLen() : -1;
        } catch (FileNotFoundException e) {
            return -1;
        }
    }

    /**
     * On HDFS, create-without-overwrite is decided by the namenode, so exactly one process gets the lock. s3a (Hadoop
     * 3.3) implements it as "does the object exist? then PUT", so two promoters starting within the same few
     * milliseconds can both pass; {@link ModelRegistry#promote} therefore also re-reads the champion right before
     * and right after writing it, which turns a lost race into a reported refusal rather than a silent win.
     */
    @Override
    public Lock lock(URI lockFile, Duration wait) throws IOException {
        FileSystem fs = storage.fs(lockFile);
        Path lock = new Path(lockFile);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                if (!fs.exists(lock)) {
                    try (FSDataOutputStream out = fs.create(lock, false)) {
                        out.write(LockHolder.describe().getBytes(StandardCharsets.UTF_8));
                    }
                    return () -> fs.delete(lock, false);
                }
            } catch (FileAlreadyExistsException e) {
                // taken between our check and our create: wait like any other holder
            }
            if (System.nanoTime() > deadline) throw LockHolder.busy(lockFile, read(lockFile).orElse(new byte[0]), wait);
            LockHolder.pause();
        }
    }
}
