package org.ich.train.data;

/**
 * Random streams keyed by (seed, epoch, slice): every random choice about a slice in an epoch depends on
 * those three alone, so it does not change with partitioning, executor count or a retried task, and a
 * resumed run draws what the uninterrupted run would have drawn.
 */
public final class Seeds {

    private Seeds() {
    }

    public static long of(long seed, int epoch, String key) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the key's chars, then mixed with seed and epoch
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        return mix(mix(seed ^ mix(epoch + 0x9E3779B97F4A7C15L)) ^ h);
    }

    /** A uniform double in [0, 1) for the key. */
    public static double unit(long seed, int epoch, String key) {
        return (of(seed, epoch, key) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
