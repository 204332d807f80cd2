package org.ich.dicom;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * How many bytes a raw deflate stream (a Deflated Explicit VR Little Endian dataset) inflates to, counted up to a cap.
 * The output goes to one small reused buffer and is thrown away, so a deflate bomb costs time bounded by the cap and
 * no memory: a few kilobytes of zeros can announce gigabytes, which PixelMed would inflate into the heap.
 *
 * @param outcome whether the stream ended within the cap, passed it, ran out of input, or is not deflate at all
 * @param bytes   bytes inflated before the count stopped; more than the cap for {@link Outcome#OVER_CAP}
 */
public record InflatedSize(Outcome outcome, long bytes) {

    public enum Outcome { WITHIN_CAP, OVER_CAP, ENDS_EARLY, NOT_DEFLATE }

    private static final int SINK_BYTES = 64 << 10;

    /** Inflates {@code data[offset..]} as raw deflate (no zlib header, as DICOM writes it) until its end or the cap. */
    public static InflatedSize count(byte[] data, int offset, long cap) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data, Math.min(offset, data.length), Math.max(0, data.length - offset));
            byte[] sink = new byte[SINK_BYTES];
            long total = 0;
            while (!inflater.finished()) {
                long readBefore = inflater.getBytesRead();
                int n = inflater.inflate(sink);
                total += n;
                if (total > cap) return new InflatedSize(Outcome.OVER_CAP, total);
                if (n == 0 && !inflater.finished()) {
                    if (inflater.needsInput()) return new InflatedSize(Outcome.ENDS_EARLY, total);
                    // A preset dictionary (which DICOM never uses) or no progress at all: another call would spin.
                    if (inflater.needsDictionary() || inflater.getBytesRead() == readBefore) {
                        return new InflatedSize(Outcome.NOT_DEFLATE, total);
                    }
                }
            }
            return new InflatedSize(Outcome.WITHIN_CAP, total);
        } catch (DataFormatException e) {
            return new InflatedSize(Outcome.NOT_DEFLATE, 0);
        } finally {
            inflater.end();
        }
    }
}
