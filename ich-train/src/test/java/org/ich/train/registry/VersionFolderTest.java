package org.ich.train.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ich.testing.S3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's metrics, plots and checkpoints go through the registry, each replaced whole or not at all. */
class VersionFolderTest {

    @Test
    void aLocalFolderReplacesFilesWholeAndHidesUnfinishedWrites(@TempDir Path dir) throws Exception {
        ModelRegistry registry = RegistryFixtures.registry(dir.resolve("models").toUri());
        VersionFolder folder = registry.folder(registry.create("run-1"));
        replacesWholeOrNotAtAll(folder);
        // A killed writer's temp file beside its target is not a file of the folder.
        Files.writeString(Path.of(folder.uri(ModelVersion.PLOTS)).resolve(".loss.png.1234.tmp"), "half");
        assertEquals(List.of("loss.png"), folder.files(ModelVersion.PLOTS));
    }

    @Test
    void anS3aFolderReplacesFilesWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        // A bucket of its own: Hadoop caches a file system per bucket, with the endpoint of the server it first met.
        try (S3Server s3 = S3Server.start(dir, "ich-version-folders")) {
            ModelRegistry registry = ModelRegistry.from(RegistryFixtures.s3aSettings(dir, s3, "ich-version-folders"));
            replacesWholeOrNotAtAll(registry.folder(registry.create("run-1")));
        }
    }

    private static void replacesWholeOrNotAtAll(VersionFolder folder) throws IOException {
        folder.replace(ModelVersion.METRICS, "{\"epochs\": [1]}".getBytes(StandardCharsets.UTF_8));
        folder.replace(ModelVersion.METRICS, "{\"epochs\": [1, 2]}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"epochs\": [1, 2]}", new String(folder.read(ModelVersion.METRICS).orElseThrow(), StandardCharsets.UTF_8));

        byte[] png = new byte[300_000];
        for (int i = 0; i < png.length; i++) png[i] = (byte) i;
        folder.replace(ModelVersion.PLOTS + "/loss.png", out -> out.write(png));
        IOException failed = assertThrows(IOException.class, () -> folder.replace(ModelVersion.PLOTS + "/loss.png",
                (OutputStream out) -> {
                    out.write(new byte[100_000]);
                    throw new IOException("the chart could not be drawn");
                }));
        assertEquals("the chart could not be drawn", failed.getMessage());
        assertArrayEquals(png, folder.read(ModelVersion.PLOTS + "/loss.png").orElseThrow(), "the previous file stays whole");
        assertFalse(folder.exists(ModelVersion.PLOTS + "/auc.png"));
        assertTrue(folder.read(ModelVersion.CHECKPOINTS + "/epoch-0001.json").isEmpty());
        assertEquals(List.of("loss.png"), folder.files(ModelVersion.PLOTS));
    }
}
