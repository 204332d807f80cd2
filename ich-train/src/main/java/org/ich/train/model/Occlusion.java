package org.ich.train.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Occlusion sensitivity (Zeiler and Fergus 2014): where on a slice the network finds its evidence for a label. A
 * patch x patch square is hidden in every channel, slid over the slice by {@code stride}, and each pixel's value is the
 * mean, over the patches covering it, of the scorer's value for the slice minus its value with that patch hidden
 * ({@link Heatmap}). Scoring scores the log-odds ({@link SliceScorer#logitOf}): a drop in a saturated probability is
 * too small to rank, and the peak then fell on the blood for only 49-60% of positive key slices.
 *
 * <p>Why occlusion and not Grad-CAM: it needs only forward passes of the network exactly as scoring already runs it
 * (channels-last, oneDNN, eval mode, the test-time views), with no gradient of the output with respect to an inner
 * activation, which DL4J's ComputationGraph does not expose cleanly; it works unchanged for any architecture (ich's
 * ResNets, an adapted zoo network); and its unit, a drop in probability, is one a reader understands without knowing
 * the network. The price is compute: one forward pass per patch position, batched ({@code batch} inputs per call).
 *
 * <p>The hidden patch is filled with {@link #FILL} = 0, i.e. byte 0, "below the window" in every channel: what air
 * looks like, and what every training slice shows around the head, so the network sees a value it knows, and any
 * bright evidence (blood is bright in the brain and subdural windows) under the patch is gone. The alternative, the
 * slice's per-channel mean, is a grey no CT tissue shows in all windows at once, and it changes with how much of the
 * crop the head fills and how much skull the slice holds, so two slices' maps would be made with different fills.
 *
 * <p>Patch positions start at 0 and step by {@code stride}; when the last step stops short of the far edge, one more
 * position flush with it is added, so every pixel is covered at least once. Pure: no Spark, and nothing but the scorer
 * touches a network.
 */
public final class Occlusion {
    /** Value of hidden pixels, in the network's input scale (byte 0 / 255). */
    public static final float FILL = 0f;
    /** Inputs per scorer call when none is given. */
    public static final int DEFAULT_BATCH = 32;

    /**
     * The patch is a sixteenth of the slice wide and slides a sixty-fourth at a time (4 and 1 pixels at 64 px): on the
     * demo's champion the peak fell on the blood for 39 of 41 positive key slices, against 36 with a stride of 2, 37
     * with patch 6 and stride 2, and 26 with the earlier eighth-wide patch and stride of 4, whose mean over the
     * covering patches blurred small bleeds into their surroundings (README, "Training stability"). About 3,700
     * occluded copies per slice at any input size.
     */
    static final int PATCH_DIVISOR = 16, STRIDE_DIVISOR = 64;

    private final int patch, stride, batch;

    public Occlusion(int patch, int stride) {
        this(patch, stride, DEFAULT_BATCH);
    }

    /** @param batch occluded inputs per scorer call; the map does not depend on it */
    public Occlusion(int patch, int stride, int batch) {
        if (patch < 1) throw new IllegalArgumentException("patch must be at least 1 pixel, got " + patch);
        if (stride < 1 || stride > patch) {
            throw new IllegalArgumentException("stride must be between 1 and the patch (" + patch + "), got " + stride);
        }
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        this.patch = patch;
        this.stride = stride;
        this.batch = batch;
    }

    /** The maps scoring keeps: for slices of {@code size} pixels a side, at the input resolution. */
    public static Occlusion atInputResolution(int size) {
        return new Occlusion(Math.max(2, size / PATCH_DIVISOR), Math.max(1, size / STRIDE_DIVISOR));
    }

    /** Top (or left) edges of the patches along one axis of {@code size} pixels. */
    List<Integer> positions(int size) {
        List<Integer> at = new ArrayList<>();
        for (int p = 0; p + patch <= size; p += stride) at.add(p);
        if (at.get(at.size() - 1) + patch < size) at.add(size - patch);
        return at;
    }

    /**
     * The map of one slice for one label.
     *
     * @param scorer  p(label) of inputs at {@code size}, e.g. {@link SliceScorer#of} (for a network, {@code size} must
     *                be its input size: resize the tensor first if it is stored larger)
     * @param tensor  the slice, uint8 C x size x size as the ETL stores it
     * @param label   only checked to be an index; the scorer decides which output it reads
     */
    public Heatmap map(SliceScorer scorer, byte[] tensor, int channels, int size, int label) {
        if (label < 0) throw new IllegalArgumentException("label index must not be negative, got " + label);
        if (channels < 1 || tensor.length != channels * size * size) {
            throw new IllegalArgumentException("tensor has " + tensor.length + " bytes, expected " + channels + " x " + size
                    + " x " + size);
        }
        if (patch > size) throw new IllegalArgumentException("patch " + patch + " is larger than the slice (" + size + ")");
        float[] input = new float[tensor.length];
        for (int i = 0; i < input.length; i++) input[i] = (tensor[i] & 0xFF) / 255f;
        double baseline = score(scorer, new float[][] {input})[0];

        List<int[]> squares = new ArrayList<>();
        List<Integer> at = positions(size);
        double[] drop = new double[size * size];
        int[] covered = new int[size * size];
        int plane = size * size;
        for (int top : at) {
            for (int left : at) {
                // A patch over nothing but air already reads FILL: hiding it changes no input, so its drop is 0 and
                // no forward pass is needed (the crop's corners around the head: about a fifth of the positions).
                if (alreadyHidden(tensor, channels, size, top, left)) {
                    cover(covered, size, top, left);
                } else {
                    squares.add(new int[] {top, left});
                }
            }
        }
        for (int from = 0; from < squares.size(); from += batch) {
            int n = Math.min(batch, squares.size() - from);
            float[][] occluded = new float[n][];
            for (int k = 0; k < n; k++) {
                int[] sq = squares.get(from + k);
                float[] x = input.clone();
                for (int c = 0; c < channels; c++) {
                    for (int r = sq[0]; r < sq[0] + patch; r++) {
                        int base = c * plane + r * size + sq[1];
                        Arrays.fill(x, base, base + patch, FILL);
                    }
                }
                occluded[k] = x;
            }
            double[] p = score(scorer, occluded);
            for (int k = 0; k < n; k++) {
                int[] sq = squares.get(from + k);
                double d = baseline - p[k];
                for (int r = sq[0]; r < sq[0] + patch; r++) {
                    for (int col = sq[1]; col < sq[1] + patch; col++) {
                        drop[r * size + col] += d;
                        covered[r * size + col]++;
                    }
                }
            }
        }
        float[] values = new float[size * size];
        for (int i = 0; i < values.length; i++) values[i] = (float) (drop[i] / covered[i]);
        return Heatmap.of(size, values, baseline);
    }

    private boolean alreadyHidden(byte[] tensor, int channels, int size, int top, int left) {
        for (int c = 0; c < channels; c++) {
            for (int r = top; r < top + patch; r++) {
                int base = c * size * size + r * size + left;
                for (int i = base; i < base + patch; i++) if (tensor[i] != 0) return false;
            }
        }
        return true;
    }

    private void cover(int[] covered, int size, int top, int left) {
        for (int r = top; r < top + patch; r++) {
            for (int col = left; col < left + patch; col++) covered[r * size + col]++;
        }
    }

    private static double[] score(SliceScorer scorer, float[][] inputs) {
        double[] p = scorer.score(inputs);
        if (p.length != inputs.length) {
            throw new IllegalStateException("scorer returned " + p.length + " probabilities for " + inputs.length + " inputs");
        }
        return p;
    }
}
