package org.ich.synth;

/**
 * How a slice's Hounsfield units become stored pixel values. Real archives mix these; the ETL must turn every one
 * back into the same HU. All use 16 allocated bits; they differ in stored bits, signedness and rescale intercept.
 *
 * <p>Every encoding is exact for HU in [{@link #MIN_HU}, {@link #MAX_HU}], the range the phantom keeps to.
 */
public enum CtEncoding {
    /** Unsigned, 12 stored bits, stored = HU + 1024, intercept -1024. */
    UNSIGNED_12(12, 0, -1024),
    /** Unsigned, 16 stored bits, stored = HU + 1024, intercept -1024. */
    UNSIGNED_16(16, 0, -1024),
    /** Signed (PixelRepresentation 1), 16 stored bits, stored = HU + 1024, intercept -1024. */
    SIGNED_16(16, 1, -1024),
    /**
     * The RSNA "bad intercept" group: unsigned, 12 stored bits, intercept written as "0", stored = HU mod 4096, so
     * air wraps to about 3096. A reader that trusts the header sees air as bone; the fix is
     * HU = ((stored + 1000) mod 4096) - 1000.
     */
    BAD_INTERCEPT(12, 0, 0);

    public static final int MIN_HU = -1000;
    public static final int MAX_HU = 3000;

    private final int bitsStored;
    private final int pixelRepresentation;
    private final int rescaleIntercept;

    CtEncoding(int bitsStored, int pixelRepresentation, int rescaleIntercept) {
        this.bitsStored = bitsStored;
        this.pixelRepresentation = pixelRepresentation;
        this.rescaleIntercept = rescaleIntercept;
    }

    public int bitsAllocated() { return 16; }

    public int bitsStored() { return bitsStored; }

    public int highBit() { return bitsStored - 1; }

    public int pixelRepresentation() { return pixelRepresentation; }

    /** RescaleIntercept as the header states it (not what makes the values right for {@link #BAD_INTERCEPT}). */
    public int rescaleIntercept() { return rescaleIntercept; }

    public boolean isQuirk() { return this == BAD_INTERCEPT; }

    /** Stored value of one HU, as the short that goes into PixelData. */
    public short store(int hu) {
        if (hu < MIN_HU || hu > MAX_HU) {
            throw new IllegalArgumentException("HU " + hu + " outside [" + MIN_HU + ", " + MAX_HU + "], which " + this + " cannot hold exactly");
        }
        return (short) (this == BAD_INTERCEPT ? Math.floorMod(hu, 4096) : hu + 1024);
    }

    /** Stored values of a whole slice (row-major HU in, PixelData out). */
    public short[] store(short[] hu) {
        short[] out = new short[hu.length];
        for (int i = 0; i < hu.length; i++) out[i] = store(hu[i]);
        return out;
    }

    /**
     * HU from a stored value as written by this encoding — the ground truth an ETL's decoding is checked against.
     * {@code stored} is the raw short from PixelData.
     */
    public int hu(short stored) {
        int raw = pixelRepresentation == 1 ? stored : stored & 0xFFFF;
        return this == BAD_INTERCEPT ? Math.floorMod(raw + 1000, 4096) - 1000 : raw + rescaleIntercept;
    }
}
