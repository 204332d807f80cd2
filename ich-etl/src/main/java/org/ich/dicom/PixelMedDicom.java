package org.ich.dicom;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * The one place ich touches a DICOM library (PixelMed, from Debian's libpixelmed-java). Everything else works on
 * {@link DicomObject}; swapping PixelMed for dcm4che means rewriting this class alone.
 */
public final class PixelMedDicom {
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    /** Syntaxes PixelMed reads without a codec; anything else needs an ImageIO plugin and may be unsupported. */
    private static final Set<String> NATIVE_SYNTAXES = Set.of(
            "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.5");
    private static final String VALUE_BINARY_VRS = "OB OW OF OD OL OV UN SQ";

    static {
        // Executors may load ich through a child class loader that ImageIO's startup scan did not see; without a
        // rescan the lossless-JPEG codec from pixelmed-codec is missing there and such files would be quarantined.
        ImageIO.scanForPlugins();
    }

    private PixelMedDicom() {}

    /**
     * Reads a file's header up to its pixel data and no further: no pixel is read and no codec runs, so the checks
     * on modality, image type and geometry cost nothing on a file ich will not use. A deflated dataset is inflated
     * into nothing first, counting, and is TOO_LARGE past {@code maxInflatedBytes} before PixelMed, which inflates it
     * into the heap, sees it.
     *
     * @param name             only labels error messages
     * @param maxInflatedBytes the most a deflated dataset may inflate to (ich.etl.max-inflated-bytes)
     */
    public static DicomHeader readHeader(byte[] bytes, String name, long maxInflatedBytes) throws DicomReadException {
        recognise(bytes, name);
        FileLayout layout = FileLayout.of(bytes);
        capCompressedDataset(layout, bytes, name, maxInflatedBytes);
        AttributeList list = new AttributeList();
        StopBeforePixels stop = new StopBeforePixels();
        String syntax;
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            syntax = in.getTransferSyntaxToReadDataSet() == null ? null : in.getTransferSyntaxToReadDataSet().getUID();
            list.read(in, stop);
        } catch (IOException | DicomException | RuntimeException | OutOfMemoryError e) {
            throw failure(e, list, bytes, name, layout, false);
        }
        if (!stop.reachedPixelData && bytesEndEarly(layout, bytes)) {
            // PixelMed drops what it cannot read to the end; the attributes it kept are not the whole header.
            throw new DicomReadException(QuarantineReason.TRUNCATED, name + ": the header ends early (" + bytes.length
                    + " bytes" + (layout.shortfall() == null ? "" : "; " + layout.shortfall()) + ")");
        }
        return new DicomHeader(new DicomObject(metaSyntaxOr(list, syntax), elements(list), null), stop.reachedPixelData);
    }

    /** Parses a DICOM Part 10 file (or a bare dataset) held in memory, pixels decoded; {@code name} only labels error messages. */
    public static DicomObject read(byte[] bytes, String name) throws DicomReadException {
        recognise(bytes, name);
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(true);
        String syntax;
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            syntax = in.getTransferSyntaxToReadDataSet() == null ? null : in.getTransferSyntaxToReadDataSet().getUID();
            list.read(in);
        } catch (IOException | DicomException | RuntimeException | OutOfMemoryError e) {
            throw failure(e, list, bytes, name, FileLayout.of(bytes), true);
        }
        syntax = metaSyntaxOr(list, syntax);
        if (list.getPixelData() == null) {
            // PixelMed drops an element it cannot read to the end instead of failing the whole read: ask the bytes why.
            FileLayout layout = FileLayout.of(bytes);
            if (bytesEndEarly(layout, bytes)) {
                throw new DicomReadException(QuarantineReason.TRUNCATED, name + ": file ends early (" + bytes.length + " bytes"
                        + (layout.shortfall() == null ? "" : "; " + layout.shortfall()) + ")");
            }
            if (layout.ending() == FileLayout.Ending.NOT_WALKED && containsPixelDataTag(bytes)) {
                throw new DicomReadException(QuarantineReason.TRUNCATED, name + ": pixel data ends early (" + bytes.length + " bytes)");
            }
            if (layout.hasPixelData()) {
                throw new DicomReadException(QuarantineReason.CORRUPT,
                        name + ": PixelData is all there but could not be read in transfer syntax " + syntax);
            }
        }
        return new DicomObject(syntax, elements(list), pixels(list, syntax, name));
    }

    private static void recognise(byte[] bytes, String name) throws DicomReadException {
        if (bytes.length == 0) throw new DicomReadException(QuarantineReason.EMPTY_FILE, name + ": empty file");
        if (!looksLikeDicom(bytes)) {
            // Checked before parsing: a random file parsed as DICOM announces element lengths of gigabytes.
            throw new DicomReadException(QuarantineReason.NOT_DICOM,
                    name + ": neither a DICOM Part 10 preamble (DICM at byte 128) nor a dataset starting with group 0002/0008");
        }
    }

    /** A compressed dataset is inflated by PixelMed with no limit; count it first (deflate) or refuse it (bzip2). */
    private static void capCompressedDataset(FileLayout layout, byte[] bytes, String name, long maxInflatedBytes)
            throws DicomReadException {
        String syntax = layout.transferSyntaxUid();
        if (FileLayout.BZIP2_EXPLICIT_LE.equals(syntax)) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX,
                    name + ": transfer syntax " + syntax + " (a bzip2-compressed dataset) is not read: its inflated size cannot be capped");
        }
        if (!FileLayout.DEFLATED_EXPLICIT_LE.equals(syntax)) return;
        InflatedSize size = InflatedSize.count(bytes, layout.datasetStart(), maxInflatedBytes);
        switch (size.outcome()) {
            case OVER_CAP -> throw new DicomReadException(QuarantineReason.TOO_LARGE, name + ": the deflated dataset (transfer syntax "
                    + syntax + ") inflates to more than " + maxInflatedBytes + " bytes (ich.etl.max-inflated-bytes)");
            case ENDS_EARLY -> throw new DicomReadException(QuarantineReason.TRUNCATED,
                    name + ": the deflated dataset ends early (" + bytes.length + " bytes, " + size.bytes() + " inflated)");
            case NOT_DEFLATE -> throw new DicomReadException(QuarantineReason.CORRUPT,
                    name + ": transfer syntax " + syntax + " announces a deflated dataset, but the bytes are not a deflate stream");
            case WITHIN_CAP -> { }
        }
    }

    /**
     * What a failed read means. TRUNCATED only when the bytes really end early; a codec failure while decoding a
     * compressed syntax is UNSUPPORTED_TRANSFER_SYNTAX; anything else in a recognisable DICOM file is CORRUPT. The
     * library's own message is left out: it may quote a value of the file.
     */
    private static DicomReadException failure(Throwable e, AttributeList list, byte[] bytes, String name, FileLayout layout,
                                              boolean decodingPixels) {
        String what = e.getClass().getSimpleName();
        if (e instanceof OutOfMemoryError oom) {
            // An element announcing more bytes than the file holds is the file's fault; otherwise the heap was short,
            // which the caller must see (the ETL fails the task so Spark runs it again, maybe where there is room).
            if (!bytesEndEarly(layout, bytes)) throw oom;
            return new DicomReadException(QuarantineReason.TRUNCATED, name + ": an element announces more bytes than the file holds ("
                    + bytes.length + " bytes" + (layout.shortfall() == null ? "" : "; " + layout.shortfall()) + ")", e);
        }
        boolean header = list.get(TagFromName.SOPInstanceUID) != null;
        boolean part10 = bytes.length >= 132 && bytes[128] == 'D' && bytes[129] == 'I' && bytes[130] == 'C' && bytes[131] == 'M';
        if ((header || part10) && (causedByEndOfFile(e) || bytesEndEarly(layout, bytes))) {
            return new DicomReadException(QuarantineReason.TRUNCATED, name + ": file ends early (" + bytes.length + " bytes"
                    + (layout.shortfall() == null ? "" : "; " + layout.shortfall()) + ")", e);
        }
        String ts = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
        ts = ts == null ? null : ts.trim();
        if (header && decodingPixels && ts != null && !NATIVE_SYNTAXES.contains(ts)) {
            return new DicomReadException(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX,
                    name + ": transfer syntax " + ts + " could not be decoded (" + what + ")", e);
        }
        if (header) {
            return new DicomReadException(QuarantineReason.CORRUPT, name + ": the bytes are all there but cannot be read as DICOM"
                    + (ts == null ? "" : " in transfer syntax " + ts) + " (" + what + ")", e);
        }
        return new DicomReadException(QuarantineReason.NOT_DICOM, name + ": not a DICOM file (" + what + ")", e);
    }

    private static boolean causedByEndOfFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EOFException) return true;
        }
        return false;
    }

    /** The file, or its deflated dataset, stops inside something it announces. */
    private static boolean bytesEndEarly(FileLayout layout, byte[] bytes) {
        if (layout.endsEarly()) return true;
        // Only reached once PixelMed has inflated the dataset itself, so the count costs time, not memory.
        return FileLayout.DEFLATED_EXPLICIT_LE.equals(layout.transferSyntaxUid())
                && InflatedSize.count(bytes, layout.datasetStart(), Long.MAX_VALUE).outcome() == InflatedSize.Outcome.ENDS_EARLY;
    }

    private static String metaSyntaxOr(AttributeList list, String streamSyntax) {
        String metaSyntax = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
        return metaSyntax != null ? metaSyntax.trim() : streamSyntax;
    }

    /** Ends a read at the first pixel data element of the dataset (nested ones, e.g. icons, are not offered). */
    private static final class StopBeforePixels implements AttributeList.ReadTerminationStrategy {
        boolean reachedPixelData;

        @Override
        public boolean terminate(AttributeList list, AttributeTag tag, long byteOffset) {
            if (tag.getGroup() != 0x7FE0 || tag.getElement() < 0x0008) return false;
            reachedPixelData = tag.equals(TagFromName.PixelData);
            return true;
        }
    }

    static boolean looksLikeDicom(byte[] b) {
        if (b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') return true;
        if (b.length < 8) return false;
        int group = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        return group == 0x0002 || group == 0x0008;
    }

    /** The PixelData tag (7FE0,0010) as little-endian bytes anywhere in the file. */
    static boolean containsPixelDataTag(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == (byte) 0xE0 && b[i + 1] == 0x7F && b[i + 2] == 0x10 && b[i + 3] == 0x00) return true;
        }
        return false;
    }

    private static List<DicomElement> elements(AttributeList list) {
        List<DicomElement> out = new ArrayList<>(list.size());
        for (Object o : list.values()) {
            Attribute a = (Attribute) o;
            AttributeTag tag = a.getTag();
            if (tag.equals(TagFromName.PixelData)) continue;
            String vr = a.getVRAsString();
            String keyword = DICTIONARY.getNameFromTag(tag);
            if (keyword == null) keyword = String.format("%04x,%04x", tag.getGroup(), tag.getElement());
            List<String> values = List.of();
            if (!(a instanceof SequenceAttribute) && !VALUE_BINARY_VRS.contains(vr)) {
                String[] s = Attribute.getStringValues(a);
                if (s != null) values = List.of(s);
            }
            out.add(new DicomElement(keyword, vr, values));
        }
        return out;
    }

    private static short[] pixels(AttributeList list, String syntax, String name) throws DicomReadException {
        Attribute pd = list.getPixelData();
        if (pd == null) return null;
        try {
            if (pd instanceof OtherWordAttribute) return pd.getShortValues();
            if (pd instanceof OtherByteAttribute && Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16) == 8) {
                byte[] b = pd.getByteValues();
                short[] s = new short[b.length];
                for (int i = 0; i < b.length; i++) s[i] = (short) (b[i] & 0xFF);
                return s;
            }
            if (pd instanceof OtherByteAttribute && NATIVE_SYNTAXES.contains(syntax)) {
                byte[] b = pd.getByteValues();
                short[] s = new short[b.length / 2];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
                return s;
            }
        } catch (DicomException e) {
            throw new DicomReadException(QuarantineReason.UNSUPPORTED_IMAGE, name + ": pixel data unreadable: " + e.getMessage(), e);
        }
        throw new DicomReadException(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX,
                name + ": pixel data left encoded in transfer syntax " + syntax + "; no installed codec decodes it");
    }

    /**
     * Writes {@code obj} as a DICOM Part 10 file in its transfer syntax (explicit or implicit VR little endian);
     * the file meta information is generated. Used by {@code ich synth}.
     */
    public static void write(DicomObject obj, OutputStream out) throws IOException {
        try {
            AttributeList list = new AttributeList();
            for (DicomElement e : obj.elements()) {
                AttributeTag tag = tagOf(e.keyword());
                Attribute a = AttributeFactory.newAttribute(tag, e.vr().getBytes(StandardCharsets.US_ASCII));
                for (String v : e.values()) a.addValue(v);
                list.put(a);
            }
            if (obj.pixels() != null) {
                OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
                pd.setValues(obj.pixels());
                list.put(pd);
            }
            FileMetaInformation.addFileMetaInformation(list, obj.transferSyntaxUid(), "ICH");
            list.write(out, obj.transferSyntaxUid(), true, true);
        } catch (DicomException e) {
            throw new IOException("cannot encode DICOM: " + e.getMessage(), e);
        }
    }

    /** The value representation the standard dictionary gives a keyword; null for a keyword it does not know. */
    public static String valueRepresentation(String keyword) {
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        byte[] vr = tag == null ? null : DICTIONARY.getValueRepresentationFromTag(tag);
        return vr == null ? null : new String(vr, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static AttributeTag tagOf(String keyword) {
        if (keyword.length() == 9 && keyword.charAt(4) == ',') {
            return new AttributeTag(Integer.parseInt(keyword.substring(0, 4), 16), Integer.parseInt(keyword.substring(5), 16));
        }
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        if (tag == null) throw new IllegalArgumentException("unknown DICOM keyword " + keyword);
        return tag;
    }
}
