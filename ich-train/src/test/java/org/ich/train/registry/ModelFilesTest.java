package org.ich.train.registry;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.train.model.Architecture;
import org.ich.train.model.Head;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.ResNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A trained network goes into its version once and comes back the same; a second write is refused. */
class ModelFilesTest {

    @Test
    void modelZipIsWrittenOnceAndReadBack(@TempDir Path dir) throws Exception {
        ModelRegistry r = RegistryFixtures.registry(dir.resolve("models").toUri());
        ModelVersion v = r.create("run-1");
        assertEquals(-1, r.modelSize(v));
        ComputationGraph graph = ResNets.build(ModelSpec.of(Architecture.TINY.id(), 3, ModelSpec.MIN_SIZE, Head.ANY), 1);
        r.writeModel(v, graph);
        long size = r.modelSize(v);
        assertTrue(size > 1000, "size " + size);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.writeModel(v, graph));
        assertTrue(e.getMessage().contains("never overwritten"), e.getMessage());
        assertEquals(size, r.modelSize(v));

        ComputationGraph back = r.readModel(v);
        assertEquals(graph.params(), back.params());
        try (Stream<Path> files = Files.list(Path.of(v.dir()))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file is left");
        }
    }
}
