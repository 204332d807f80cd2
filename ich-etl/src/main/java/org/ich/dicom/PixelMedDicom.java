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

    /** Parses a DICOM Part 10 file (or a bare dataset) held in memory; {@code name} only labels error messages. */
    public static DicomObject read(byte[] bytes, String name) throws DicomReadException {
        if (bytes.length == 0) throw new DicomReadException(QuarantineReason.EMPTY_FILE, name + ": empty file");
        if (!looksLikeDicom(bytes)) {
            // Checked before parsing: a random file parsed as DICOM announces element lengths of gigabytes.
            throw new DicomReadException(QuarantineReason.NOT_DICOM,
                    name + ": neither a DICOM Part 10 preamble (DICM at byte 128) nor a dataset starting with group 0002/0008");
        }
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(true);
        String syntax;
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            syntax = in.getTransferSyntaxToReadDataSet() == null ? null : in.getTransferSyntaxToReadDataSet().getUID();
            list.read(in);
        } catch (EOFException e) {
            throw new DicomReadException(QuarantineReason.TRUNCATED, name + ": file ends early (" + bytes.length + " bytes)", e);
        } catch (IOException | DicomException | RuntimeException | OutOfMemoryError e) {
            // A codec failure surfaces here for compressed syntaxes; garbage headers fail the same way for non-DICOM.
            String ts = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
            if (ts != null && !NATIVE_SYNTAXES.contains(ts.trim()) && list.get(TagFromName.SOPInstanceUID) != null) {
                throw new DicomReadException(QuarantineReason.UNSUPPORTED_TRANSFER_SYNTAX,
                        name + ": transfer syntax " + ts.trim() + " could not be decoded (" + e.getClass().getSimpleName() + ")", e);
            }
            if (list.get(TagFromName.SOPInstanceUID) != null) {
                throw new DicomReadException(QuarantineReason.TRUNCATED, name + ": header read but data is cut or corrupt: " + e.getMessage(), e);
            }
            throw new DicomReadException(QuarantineReason.NOT_DICOM, name + ": not a DICOM file (" + e.getClass().getSimpleName() + ")", e);
        }
        String metaSyntax = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
        if (metaSyntax != null) syntax = metaSyntax.trim();
        if (list.getPixelData() == null && containsPixelDataTag(bytes)) {
            // PixelMed drops an element it cannot read to the end instead of failing the whole read.
            throw new DicomReadException(QuarantineReason.TRUNCATED, name + ": pixel data ends early (" + bytes.length + " bytes)");
        }
        return new DicomObject(syntax, elements(list), pixels(list, syntax, name));
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
