package org.ich.cli;

import java.io.PrintStream;
import java.util.List;

/** Prints rows as an aligned plain-text table for terminals. */
public final class TextTable {
    static final int MAX_CELL = 60;

    private TextTable() {}

    public static void print(String[] header, List<List<String>> rows, PrintStream out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) width[i] = header[i].length();
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], clip(r.get(i)).length());
        out.println(line(List.of(header), width));
        StringBuilder rule = new StringBuilder();
        for (int w : width) rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
        out.println(rule);
        for (List<String> r : rows) out.println(line(r, width));
        out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append(" | ");
            String c = clip(cells.get(i));
            b.append(c).append(" ".repeat(width[i] - c.length()));
        }
        return b.toString().stripTrailing();
    }

    private static String clip(String s) {
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 3) + "...";
    }
}
