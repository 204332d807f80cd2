package org.ich.dicom;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Where the parts of a DICOM file lie, read from the element headers alone (no value is decoded, nothing is
 * allocated): the transfer syntax the file meta information names, where the dataset starts, whether the dataset has
 * a top-level PixelData element, and whether every element the bytes announce is really there.
 *
 * <p>PixelMed reads leniently: an element that runs past the end of the file is dropped and the read "succeeds", so a
 * cut file looks like one that never had the element. Walking the declared lengths here tells TRUNCATED (the bytes
 * end early) apart from CORRUPT (they are all there but do not hold what the header says).
 *
 * @param transferSyntaxUid the file meta's TransferSyntaxUID, null without one
 * @param datasetStart      offset of the first dataset byte: where a deflated dataset's stream begins
 * @param ending            whether the walk reached the end of the file, found it ends early, or could not walk it
 * @param shortfall         for {@link Ending#ENDS_EARLY}, which element the bytes end inside (tags and counts only)
 * @param hasPixelData      a top-level PixelData (7FE0,0010) element header was seen
 */
public record FileLayout(String transferSyntaxUid, int datasetStart, Ending ending, String shortfall, boolean hasPixelData) {

    public enum Ending {
        /** Every element's declared length fits in the file. */
        COMPLETE,
        /** An element, item or sequence announced more bytes than the file holds. */
        ENDS_EARLY,
        /** A compressed dataset (its bytes are a stream, not elements) or a structure the walk does not follow. */
        NOT_WALKED
    }

    public static final String DEFLATED_EXPLICIT_LE = "1.2.840.10008.1.2.1.99";
    /** PixelMed's private bzip2 syntax: a compressed dataset like deflate, which PixelMed inflates with no cap. */
    public static final String BZIP2_EXPLICIT_LE = "1.3.6.1.4.1.5962.300.1";
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    /** VRs whose explicit encoding has two reserved bytes and a 32-bit length. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** Deeper nesting than any real file has; a hostile one would otherwise cost a stack overflow. */
    private static final int MAX_DEPTH = 32;

    public boolean endsEarly() { return ending == Ending.ENDS_EARLY; }

    public static FileLayout of(byte[] bytes) {
        Walk w = new Walk(bytes);
        boolean preamble = bytes.length >= 132 && bytes[128] == 'D' && bytes[129] == 'I' && bytes[130] == 'C' && bytes[131] == 'M';
        w.pos = preamble ? 132 : 0;
        try {
            w.meta();
        } catch (EndsEarly e) {
            return new FileLayout(w.syntax, w.pos, Ending.ENDS_EARLY, e.getMessage(), false);
        } catch (Unwalkable e) {
            return new FileLayout(w.syntax, w.pos, Ending.NOT_WALKED, null, false);
        }
        int datasetStart = w.pos;
        if (DEFLATED_EXPLICIT_LE.equals(w.syntax) || BZIP2_EXPLICIT_LE.equals(w.syntax)) {
            return new FileLayout(w.syntax, datasetStart, Ending.NOT_WALKED, null, false);
        }
        w.explicit = w.syntax == null ? w.looksExplicit() : !IMPLICIT_LE.equals(w.syntax);
        w.little = !EXPLICIT_BE.equals(w.syntax);
        try {
            w.dataset();
            return new FileLayout(w.syntax, datasetStart, Ending.COMPLETE, null, w.pixelData);
        } catch (EndsEarly e) {
            return new FileLayout(w.syntax, datasetStart, Ending.ENDS_EARLY, e.getMessage(), w.pixelData);
        } catch (Unwalkable e) {
            return new FileLayout(w.syntax, datasetStart, Ending.NOT_WALKED, null, w.pixelData);
        }
    }

    /** A cursor over the bytes; the meta group is always explicit VR little endian, the dataset as its syntax says. */
    private static final class Walk {
        final byte[] b;
        int pos;
        boolean explicit = true, little = true, inMeta, pixelData;
        String syntax;

        Walk(byte[] b) { this.b = b; }

        /**
         * The file meta group, bounded the way PixelMed bounds it: by FileMetaInformationGroupLength when that comes
         * first, else by the first element outside group 0002. A deflated stream starts exactly where PixelMed
         * starts inflating, so the size counted is the size PixelMed would inflate.
         */
        void meta() throws EndsEarly, Unwalkable {
            if (pos + 4 > b.length || u16(pos) != 0x0002) return;
            inMeta = true;
            if (u16(pos + 2) == 0x0000 && pos + 12 <= b.length && b[pos + 4] == 'U' && b[pos + 5] == 'L' && u16(pos + 6) == 4) {
                long groupLength = u32(pos + 8);
                pos += 12;
                long end = pos + groupLength - 1; // PixelMed reads while its offset is before start + length - 1
                while (pos < end) element(0);
            } else {
                while (pos + 4 <= b.length && u16(pos) == 0x0002) element(0);
            }
            inMeta = false;
        }

        void dataset() throws EndsEarly, Unwalkable {
            while (pos < b.length) element(0);
        }

        /** Skips one element (a sequence or encapsulated pixel data with everything it holds). */
        void element(int depth) throws EndsEarly, Unwalkable {
            if (depth > MAX_DEPTH) throw new Unwalkable();
            need(8, "an element header");
            int group = u16(pos), elem = u16(pos + 2);
            if (group == 0xFFFE) {
                if (elem == 0xE000) throw new Unwalkable(); // an item outside any sequence
                pos += 8;                                    // a stray delimiter, which PixelMed ignores too
                return;
            }
            String vr = null;
            long length;
            int header;
            if (explicit) {
                vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
                if (!Character.isUpperCase(vr.charAt(0)) || !Character.isUpperCase(vr.charAt(1))) throw new Unwalkable();
                if (LONG_VRS.contains(vr)) {
                    need(12, "an element header");
                    length = u32(pos + 8);
                    header = 12;
                } else {
                    length = u16(pos + 6);
                    header = 8;
                }
            } else {
                length = u32(pos + 4);
                header = 8;
            }
            if (depth == 0 && !inMeta && group == 0x7FE0 && elem == 0x0010) pixelData = true;
            if (inMeta && depth == 0 && group == 0x0002 && elem == 0x0010 && length != UNDEFINED && pos + header + length <= b.length) {
                syntax = new String(b, pos + header, (int) length, StandardCharsets.US_ASCII).trim();
            }
            pos += header;
            if (length == UNDEFINED) {
                // UN of undefined length holds implicit VR little endian, whatever the file's syntax.
                boolean wasExplicit = explicit;
                if ("UN".equals(vr)) explicit = false;
                items(depth + 1, group, elem);
                explicit = wasExplicit;
            } else {
                skip(length, group, elem);
            }
        }

        /** The items of an undefined-length sequence or of encapsulated pixel data, through its delimiter. */
        void items(int depth, int group, int elem) throws EndsEarly, Unwalkable {
            if (depth > MAX_DEPTH) throw new Unwalkable();
            while (true) {
                need(8, "sequence " + tag(group, elem) + ", which has no delimiter");
                if (u16(pos) != 0xFFFE) throw new Unwalkable();
                int kind = u16(pos + 2);
                long length = u32(pos + 4);
                pos += 8;
                if (kind == 0xE0DD) return;
                if (kind != 0xE000) throw new Unwalkable();
                if (length != UNDEFINED) {
                    skip(length, group, elem);
                    continue;
                }
                while (true) {
                    need(8, "an item of " + tag(group, elem) + ", which has no delimiter");
                    if (u16(pos) == 0xFFFE && u16(pos + 2) == 0xE00D) {
                        pos += 8;
                        break;
                    }
                    element(depth + 1);
                }
            }
        }

        void skip(long length, int group, int elem) throws EndsEarly {
            long remaining = b.length - (long) pos;
            if (length > remaining) {
                throw new EndsEarly("element " + tag(group, elem) + " announces " + length + " bytes, " + remaining + " remain");
            }
            pos += (int) length;
        }

        void need(int n, String what) throws EndsEarly {
            if (pos + (long) n > b.length) throw new EndsEarly("the file ends inside " + what + " at byte " + pos);
        }

        boolean looksExplicit() {
            return pos + 6 <= b.length && Character.isUpperCase((char) b[pos + 4]) && Character.isUpperCase((char) b[pos + 5]);
        }

        int u16(int at) {
            int lo = b[at] & 0xFF, hi = b[at + 1] & 0xFF;
            return little ? lo | hi << 8 : hi | lo << 8;
        }

        long u32(int at) {
            long lo = u16(at), hi = u16(at + 2);
            return little ? lo | hi << 16 : hi | lo << 16;
        }

        static String tag(int group, int elem) {
            return String.format("(%04x,%04x)", group, elem);
        }
    }

    private static final class EndsEarly extends Exception {
        EndsEarly(String what) { super(what, null, false, false); }
    }

    private static final class Unwalkable extends Exception {
        Unwalkable() { super(null, null, false, false); }
    }
}
