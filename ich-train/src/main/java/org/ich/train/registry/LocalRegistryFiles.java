package org.ich.train.registry;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Registry files in a local folder. Not through Hadoop's LocalFileSystem: it keeps a .crc file beside each file and
 * renames the two separately, so a reader could pair new bytes with an old checksum.
 */
final class LocalRegistryFiles implements RegistryFiles {

    @Override
    public Optional<byte[]> read(URI file) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(Path.of(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(URI file) throws IOException {
        return Files.newInputStream(Path.of(file));
    }

    @Override
    public void replace(URI file, Body body) throws IOException {
        Path target = Path.of(file);
        Path temp = writeTemp(target, body);
        try {
            // rename(2) within one folder: readers see the old file or the new one, never a partial write.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void publish(URI file, Body body) throws IOException {
        Path target = Path.of(file);
        if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString());
        Path temp = writeTemp(target, body);
        try {
            // link(2) fails if the target exists, atomically: unlike rename it can never replace a finished file.
            Files.createLink(target, temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A hidden temp file beside the target (same file system, so the final rename or link is atomic), synced. */
    private static Path writeTemp(Path target, Body body) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
            // Writers such as DL4J's ModelSerializer close the stream they are given; the channel must stay open
            // until its bytes are synced.
            body.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            });
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    @Override
    public void mkdirs(URI dir) throws IOException {
        Files.createDirectories(Path.of(dir));
    }

    @Override
    public boolean exists(URI path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public List<String> folders(URI dir) throws IOException {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) return List.of();
        try (Stream<Path> children = Files.list(p)) {
            return children.filter(Files::isDirectory).map(c -> c.getFileName().toString()).toList();
        }
    }

    @Override
    public List<String> files(URI dir) throws IOException {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) return List.of();
        try (Stream<Path> children = Files.list(p)) {
            return children.filter(Files::isRegularFile).map(c -> c.getFileName().toString())
                    .filter(name -> !RegistryFiles.temp(name)).toList();
        }
    }

    @Override
    public long size(URI file) throws IOException {
        Path p = Path.of(file);
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }

    @Override
    public Lock lock(URI lockFile, Duration wait) throws IOException {
        Path lock = Path.of(lockFile);
        Files.createDirectories(lock.getParent());
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                // O_CREAT|O_EXCL: exactly one process creates the file.
                Files.writeString(lock, LockHolder.describe(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return () -> Files.deleteIfExists(lock);
            } catch (FileAlreadyExistsException e) {
                if (System.nanoTime() > deadline) throw LockHolder.busy(lockFile, read(lockFile).orElse(new byte[0]), wait);
                LockHolder.pause();
            }
        }
    }
}
