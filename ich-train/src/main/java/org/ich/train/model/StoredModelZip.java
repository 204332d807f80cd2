package org.ich.train.model;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network in the zip layout DL4J's {@code ModelSerializer} reads back (configuration JSON, parameters and optimiser
 * state as ND4J binary), with the entries stored instead of deflated. For the copies training makes every epoch (the
 * checkpoint, the network the executors validate): deflating a ResNet-18 with its Adam state (~134 MB) took 7-9 s of
 * each 45 s epoch on 2 cores (measured), storing takes well under one. The registry's final model.zip stays
 * ModelSerializer's own.
 */
public final class StoredModelZip {

    /** Entry names ModelSerializer writes and reads. */
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER = "updaterState.bin";

    private StoredModelZip() {
    }

    public static void write(ComputationGraph graph, OutputStream out, boolean withUpdater) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setMethod(ZipOutputStream.STORED);
            entry(zip, CONFIGURATION, graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
            entry(zip, COEFFICIENTS, binary(graph.params()));
            INDArray state = graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
            if (withUpdater && state != null) {
                entry(zip, UPDATER, binary(state));
            }
        }
    }

    public static byte[] bytes(ComputationGraph graph, boolean withUpdater) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(graph, out, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] binary(INDArray array) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            Nd4j.write(array, data);
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        // A stored entry's size and checksum go before its bytes.
        ZipEntry entry = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
