package org.ich.synth;

import java.util.List;

/**
 * SplitMix64 random numbers. Owned by synth instead of borrowing java.util.Random so that the files a seed produces
 * do not depend on the JDK's generator implementation, and so every patient and slice can get an independent stream
 * derived from (seed, purpose, indices) — which keeps output identical whatever the thread count.
 */
final class SeededRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    SeededRandom(long seed) {
        this.state = seed;
    }

    /** A stream for one purpose ("anatomy", "noise", ...) of one patient/slice, independent of all others. */
    static SeededRandom derive(long seed, String purpose, long... indices) {
        long h = mix(seed ^ 0x6A09E667F3BCC908L);
        for (int i = 0; i < purpose.length(); i++) h = mix(h ^ purpose.charAt(i));
        for (long index : indices) h = mix(h + GOLDEN * (index + 1));
        return new SeededRandom(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform integer in [lo, hi], both inclusive. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    <T> T pick(List<T> options) {
        return options.get(nextInt(options.size()));
    }

    /** Fisher-Yates permutation of 0..n-1. */
    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }
}
