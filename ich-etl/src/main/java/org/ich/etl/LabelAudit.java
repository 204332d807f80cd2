package org.ich.etl;

import org.ich.cli.UserError;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What reading a label CSV found: its data rows (lines after the header, blank lines not counted), how many of them
 * were {@link LabelLine.Bad} and so skipped, and the first few of those by line number.
 *
 * <p>A few bad rows in a 4.5 M-row file should not stop a nightly run, but a file that is largely broken (a wrong
 * delimiter, a wrong file) would silently leave slices unlabelled; {@link #enforce} draws the line.
 */
public record LabelAudit(long rows, long bad, List<BadLine> firstBad) {
    /** How many bad lines a message names: enough to see the pattern, few enough to read. */
    public static final int SHOWN = 5;
    public static final String MAX_BAD_SHARE_KEY = "ich.etl.labels-max-bad-share";

    /** One bad line: its 1-based number in the file (the header is line 1) and what is wrong, naming no ID. */
    public record BadLine(long line, String problem) {
        @Override
        public String toString() {
            return "line " + line + ": " + problem;
        }
    }

    public LabelAudit {
        firstBad = List.copyOf(firstBad);
    }

    /** Bad rows over data rows; 0 for a file without data rows. */
    public double badShare() {
        return rows == 0 ? 0 : (double) bad / rows;
    }

    public boolean exceeds(double maxBadShare) {
        return badShare() > maxBadShare;
    }

    /**
     * Throws a {@link UserError} when more than {@code maxBadShare} of the rows are bad; otherwise, when some are,
     * prints a warning to {@code out}. Either way names the file, the counts and the first bad lines.
     *
     * @param csv the label CSV as the user configured it (ich.etl.labels)
     */
    public void enforce(String csv, double maxBadShare, PrintStream out) {
        if (bad == 0) return;
        String counts = String.format(Locale.ROOT, "%d of %d rows of the label CSV %s are bad (%s)", bad, rows, csv, percent(badShare()));
        if (exceeds(maxBadShare)) {
            throw new UserError("ich.etl.labels: " + counts + ", more than " + MAX_BAD_SHARE_KEY + " = " + maxBadShare + " allows; "
                    + firstLines() + ". Fix the file, or raise " + MAX_BAD_SHARE_KEY + " to skip them.");
        }
        out.println("etl: warning: " + counts + " and skipped (" + MAX_BAD_SHARE_KEY + " = " + maxBadShare + "); " + firstLines());
    }

    /** {@code line 17: ...; line 23: ...}, preceded by {@code the first 5: } when there are more. */
    public String firstLines() {
        return (firstBad.size() < bad ? "the first " + firstBad.size() + ": " : "")
                + firstBad.stream().map(BadLine::toString).collect(Collectors.joining("; "));
    }

    private static String percent(double share) {
        // A handful of bad rows in millions would print as 0.00%, which reads as none.
        return share > 0 && share < 0.0001 ? "under 0.01%" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }
}
