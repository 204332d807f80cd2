package org.ich.train.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ResNet family members ich trains: depth per stage, block kind and stage widths.
 * Widths are the bottleneck widths; a bottleneck block's output is four times as wide.
 */
public enum Architecture {
    /** Two stages of one basic block: enough structure to exercise every code path in tests and demos. */
    TINY("tiny", false, 16, new int[] {1, 1}, new int[] {16, 32}),
    RESNET18("resnet18", false, 64, new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512}),
    RESNET34("resnet34", false, 64, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512}),
    RESNET50("resnet50", true, 64, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512});

    public static final int BOTTLENECK_EXPANSION = 4;

    private final String id;
    private final boolean bottleneck;
    private final int stemWidth;
    private final int[] blocksPerStage;
    private final int[] stageWidths;

    Architecture(String id, boolean bottleneck, int stemWidth, int[] blocksPerStage, int[] stageWidths) {
        this.id = id;
        this.bottleneck = bottleneck;
        this.stemWidth = stemWidth;
        this.blocksPerStage = blocksPerStage;
        this.stageWidths = stageWidths;
    }

    /** Accepts the names used in configuration, e.g. "resnet18", "ResNet-50", "tiny". */
    public static Architecture of(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (Architecture a : values()) {
            if (a.id.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("Unknown architecture '" + name + "'; expected one of " + ids());
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Architecture::id).collect(Collectors.toList());
    }

    public String id() {
        return id;
    }

    public boolean bottleneck() {
        return bottleneck;
    }

    public int stemWidth() {
        return stemWidth;
    }

    public int stages() {
        return blocksPerStage.length;
    }

    public int blocks(int stage) {
        return blocksPerStage[stage];
    }

    public int width(int stage) {
        return stageWidths[stage];
    }

    public int outputWidth(int stage) {
        return bottleneck ? stageWidths[stage] * BOTTLENECK_EXPANSION : stageWidths[stage];
    }

    /** Channels reaching global pooling, i.e. the head's input size. */
    public int featureWidth() {
        return outputWidth(stages() - 1);
    }
}
