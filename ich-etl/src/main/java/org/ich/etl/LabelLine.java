package org.ich.etl;

import org.ich.domain.Labels;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the RSNA label CSV ({@code ID,Label} header, then {@code ID_<SOPInstanceUID>_<label>,<0|1>}): a
 * {@link Label}, a {@link Bad} line with what is wrong with it, or a {@link Blank} line.
 *
 * <p>The SOPInstanceUID identifies a patient's image, so a problem never quotes the ID, and quotes other text only
 * when it is too short or too unlike a UID to be part of one. Surrounding whitespace, a CR before the line end and
 * fields in double quotes ({@code "a ""b"""}) are accepted, as spreadsheet exports write them. Blank lines are
 * neither data nor errors (an editor's trailing empty lines), so they are not counted at all.
 */
public sealed interface LabelLine permits LabelLine.Label, LabelLine.Bad, LabelLine.Blank {

    /** A well-formed row: the instance's join key (as {@link LabelId#sopKey()}), a known label name, 0 or 1. */
    record Label(String sopKey, String name, int value) implements LabelLine {}

    /** A row that cannot be used; {@code problem} names no ID, e.g. {@code label value "2" is not 0 or 1}. */
    record Bad(String problem) implements LabelLine {}

    /** Only whitespace. */
    record Blank() implements LabelLine {}

    String HEADER = "ID,Label";

    /** Text of a value or label longer than this is not quoted in a problem: it could be a UID or part of one. */
    int QUOTED_VALUE_MAX = 4;
    int QUOTED_LABEL_MAX = 24;

    /** Whether {@code line} (the file's first) is the header {@code ID,Label}, ignoring a byte-order mark. */
    static boolean isHeader(String line) {
        if (line == null) return false;
        String s = line.startsWith("\uFEFF") ? line.substring(1) : line;
        return List.of("ID", "Label").equals(fields(s));
    }

    static LabelLine parse(String line) {
        if (line == null || line.isBlank()) return new Blank();
        List<String> fields = fields(line);
        if (fields == null) return new Bad("double quotes do not pair up");
        if (fields.size() != 2) return new Bad(fields.size() + (fields.size() == 1 ? " field" : " fields") + ", expected 2");
        String id = fields.get(0), value = fields.get(1);
        // LabelId.parse also takes IDs without the "ID_" prefix or without a UID; a label file that has them is broken.
        int cut = id.lastIndexOf('_');
        if (!id.startsWith("ID_") || cut < 4 || cut == id.length() - 1 || id.chars().anyMatch(Character::isWhitespace)) {
            return new Bad("ID is not ID_<SOPInstanceUID>_<label>");
        }
        LabelId parsed = LabelId.parse(id);
        if (!Labels.NAMES.contains(parsed.label())) return new Bad("unknown label " + quotedLabel(parsed.label()));
        if (value.equals("0") || value.equals("1")) return new Label(parsed.sopKey(), parsed.label(), value.charAt(0) - '0');
        if (value.isEmpty()) return new Bad("label value is empty");
        return new Bad("label value " + quotedValue(value) + " is not 0 or 1");
    }

    /**
     * A misspelt label ("epidurall") is shown; text that might be the tail of a UID is not: a DICOM UID is digits and
     * dots, an RSNA one hexadecimal, so only words of letters with one beyond 'f' are quoted.
     */
    private static String quotedLabel(String label) {
        boolean word = label.length() <= QUOTED_LABEL_MAX && label.chars().allMatch(Character::isLetter)
                && label.chars().anyMatch(c -> Character.toLowerCase(c) > 'f');
        return word ? "\"" + label + "\"" : "of " + label.length() + " characters";
    }

    /** "2", "x", "1.0", "true" are shown; anything longer could be an ID in the wrong column. */
    private static String quotedValue(String value) {
        return value.length() <= QUOTED_VALUE_MAX && value.indexOf('_') < 0 && value.chars().noneMatch(c -> c < ' ' || c == '"')
                ? "\"" + value + "\"" : "of " + value.length() + " characters";
    }

    /**
     * The comma-separated fields of a line, each trimmed and unquoted; null when a quote is not closed or text follows
     * a closing quote. A field in quotes may hold commas and doubled quotes.
     */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (true) {
            while (i < n && isSpace(line.charAt(i))) i++;
            StringBuilder field = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) return null;
                    char c = line.charAt(i++);
                    if (c != '"') field.append(c);
                    else if (i < n && line.charAt(i) == '"') field.append(line.charAt(i++));
                    else break;
                }
                while (i < n && isSpace(line.charAt(i))) i++;
                if (i < n && line.charAt(i) != ',') return null;
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ',') i++;
                field.append(line, start, i);
                if (field.indexOf("\"") >= 0) return null;
            }
            out.add(field.toString().strip());
            if (i >= n) return out;
            i++; // the comma
        }
    }

    /** Whitespace around a field, the CR of a CRLF line end included. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c);
    }
}
