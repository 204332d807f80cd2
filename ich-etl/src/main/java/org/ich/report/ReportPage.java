package org.ich.report;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds the report's single HTML page: inline CSS, no scripts, no external URLs, images by relative path. Every
 * text passed in is escaped here, so table contents (manufacturer names, reasons) cannot inject markup.
 */
public final class ReportPage {
    /** Cells that read as a number (count, share) are right-aligned so columns of them line up. */
    private static final Pattern NUMERIC = Pattern.compile("[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?");
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;\
            max-width:1100px;padding:0 1em;color:#222;line-height:1.4}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            .meta{color:#666;font-size:.9em}
            table{border-collapse:collapse;margin:.8em 0}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left}
            th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#1b5e20;background:#e8f5e9;border-left:4px solid #2e7d32;padding:.4em .8em}
            .warn{color:#b71c1c;background:#ffebee;border-left:4px solid #c62828;padding:.4em .8em;font-weight:bold}
            .note{color:#444;background:#f5f5f5;border-left:4px solid #9e9e9e;padding:.4em .8em}
            img.chart{max-width:100%;height:auto;display:block;margin:.8em 0}
            .sample{margin:1em 0;padding:.5em;border:1px solid #e0e0e0;border-radius:4px}
            .sample figure{display:inline-block;margin:.3em .6em .3em 0;text-align:center}
            .sample img{width:200px;height:200px;image-rendering:pixelated;background:#000;display:block}
            figcaption{font-size:.85em;color:#444}
            td.heat{text-align:right;min-width:4em}
            footer{margin-top:3em;color:#777;font-size:.85em}
            """;

    private final StringBuilder html = new StringBuilder();

    public ReportPage(String title, String meta) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<h1>").append(esc(title))
                .append("</h1>\n<p class=\"meta\">").append(esc(meta)).append("</p>\n");
    }

    public ReportPage section(String heading) {
        html.append("<h2>").append(esc(heading)).append("</h2>\n");
        return this;
    }

    public ReportPage paragraph(String text) {
        return block("p", null, text);
    }

    public ReportPage ok(String text) {
        return block("p", "ok", text);
    }

    public ReportPage warning(String text) {
        return block("p", "warn", text);
    }

    public ReportPage note(String text) {
        return block("p", "note", text);
    }

    private ReportPage block(String tag, String cssClass, String text) {
        html.append('<').append(tag);
        if (cssClass != null) html.append(" class=\"").append(cssClass).append('"');
        html.append('>').append(esc(text)).append("</").append(tag).append(">\n");
        return this;
    }

    public ReportPage table(List<String> header, List<List<String>> rows) {
        html.append("<table>\n<tr>");
        for (String h : header) html.append("<th>").append(esc(h)).append("</th>");
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String cell : row) {
                html.append(NUMERIC.matcher(cell).matches() ? "<td class=\"n\">" : "<td>").append(esc(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        return this;
    }

    /** A square table of counts, each cell shaded by its share of the largest count. */
    public ReportPage heatmap(List<String> labels, long[][] counts) {
        long max = 1;
        for (long[] row : counts) for (long v : row) max = Math.max(max, v);
        html.append("<table>\n<tr><th></th>");
        for (String l : labels) html.append("<th>").append(esc(l)).append("</th>");
        html.append("</tr>\n");
        for (int i = 0; i < labels.size(); i++) {
            html.append("<tr><th>").append(esc(labels.get(i))).append("</th>");
            for (int j = 0; j < labels.size(); j++) {
                double share = (double) counts[i][j] / max;
                html.append(String.format(Locale.ROOT, "<td class=\"heat\" style=\"background:rgba(198,40,40,%.2f);color:%s\">%s</td>",
                        share * 0.85, share > 0.55 ? "#fff" : "#222", count(counts[i][j])));
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        return this;
    }

    public ReportPage chart(String src, String alt, int width, int height) {
        html.append("<img class=\"chart\" src=\"").append(esc(src)).append("\" alt=\"").append(esc(alt))
                .append("\" width=\"").append(width).append("\" height=\"").append(height).append("\">\n");
        return this;
    }

    /** One sample slice: a caption line, then its channel images side by side, each captioned. */
    public ReportPage sample(String caption, List<String> sources, List<String> channelCaptions) {
        html.append("<div class=\"sample\">\n<p>").append(esc(caption)).append("</p>\n");
        for (int i = 0; i < sources.size(); i++) {
            html.append("<figure><img src=\"").append(esc(sources.get(i))).append("\" alt=\"").append(esc(channelCaptions.get(i)))
                    .append("\"><figcaption>").append(esc(channelCaptions.get(i))).append("</figcaption></figure>\n");
        }
        html.append("</div>\n");
        return this;
    }

    public String finish(String footer) {
        return html + "<footer>" + esc(footer) + "</footer>\n</body>\n</html>\n";
    }

    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }
}
