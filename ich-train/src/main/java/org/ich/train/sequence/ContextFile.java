package org.ich.train.sequence;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a version's context stage is besides its weights ({@link #ZIP}): the graph's shape, the embedding
 * standardisation fitted on the train series, and the test-time views its embeddings were averaged over (scoring must
 * embed the same way). Stored as {@link #JSON} in the version folder.
 *
 * @param sliceVersion the registry version whose slice stage produced the embeddings (the same version)
 * @param views        as {@link org.ich.train.model.Tta#describe} writes them
 */
public record ContextFile(ContextSpec spec, StepScaling scaling, String views, String sliceVersion) {
    public static final String DIR = "context";
    public static final String ZIP = DIR + "/model.zip";
    public static final String JSON = DIR + "/context.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + JSON, e);
        }
    }

    public static ContextFile fromJson(byte[] json) {
        try {
            return MAPPER.readValue(json, ContextFile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable " + JSON + ": " + e.getMessage(), e);
        }
    }
}
