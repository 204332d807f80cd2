package org.ich.train.sequence.job;

import java.io.IOException;
import java.io.Serializable;

import org.ich.cli.UserError;
import org.ich.train.registry.VersionFolder;

import org.ich.train.sequence.ContextFile;

/**
 * What the executors need of a version's context stage, small enough to broadcast: its {@link ContextFile} as JSON
 * and its network as a zip. A class, not a record: Spark's Kryo, which serializes broadcasts, cannot build records.
 */
public final class ContextStage implements Serializable {
    private final String version;
    private final byte[] json;
    private final byte[] modelZip;

    public ContextStage(String version, byte[] json, byte[] modelZip) {
        this.version = version;
        this.json = json;
        this.modelZip = modelZip;
    }

    public String version() { return version; }

    public byte[] json() { return json; }

    public byte[] modelZip() { return modelZip; }

    public ContextFile file() {
        return ContextFile.fromJson(json);
    }

    /** A completed version's context stage, from its folder. */
    public static ContextStage read(VersionFolder folder) throws IOException {
        return new ContextStage(folder.version().id(), required(folder, ContextFile.JSON), required(folder, ContextFile.ZIP));
    }

    private static byte[] required(VersionFolder folder, String file) throws IOException {
        return folder.read(file).orElseThrow(() -> new UserError("version " + folder.version().id() + " has a context"
                + " stage in its manifest but no " + file + " at " + folder.uri(file) + "; the registry folder is incomplete"));
    }
}
