package org.ich.synth;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes labels the way the RSNA competition shipped them: "ID,Label", then per slice six rows
 * {@code ID_<SOPInstanceUID>_<label>,<0|1>} in RSNA label order, with some rows repeated verbatim because the real
 * file has duplicates the ETL must tolerate. Rows stream out in slice order, so memory does not grow with the cohort.
 */
final class LabelCsv implements Closeable {
    static final String HEADER = "ID,Label";

    private final BufferedWriter out;
    /** Row numbers (0-based, sorted, may repeat) that are written once more right after themselves. */
    private final long[] duplicated;
    private int nextDuplicate;
    private long row;
    private long written;

    LabelCsv(OutputStream stream, long seed, long totalRows, int duplicates) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        SeededRandom r = SeededRandom.derive(seed, "duplicate-label-rows");
        duplicated = new long[totalRows == 0 ? 0 : duplicates];
        for (int k = 0; k < duplicated.length; k++) duplicated[k] = Math.floorMod(r.nextLong(), totalRows);
        Arrays.sort(duplicated);
        out.write(HEADER);
        out.write('\n');
    }

    /** The six label rows of one slice, in RSNA order with "any" last. */
    static List<String> rows(String sopInstanceUid, boolean[] positive) {
        List<String> rows = new ArrayList<>(6);
        boolean any = false;
        BleedType[] types = BleedType.values();
        for (int t = 0; t < types.length; t++) {
            rows.add("ID_" + sopInstanceUid + "_" + types[t].label() + "," + (positive[t] ? 1 : 0));
            any |= positive[t];
        }
        rows.add("ID_" + sopInstanceUid + "_any," + (any ? 1 : 0));
        return rows;
    }

    void slice(String sopInstanceUid, boolean[] positive) throws IOException {
        for (String line : rows(sopInstanceUid, positive)) {
            write(line);
            while (nextDuplicate < duplicated.length && duplicated[nextDuplicate] == row) {
                write(line);
                nextDuplicate++;
            }
            row++;
        }
    }

    long rowsWritten() { return written; }

    private void write(String line) throws IOException {
        out.write(line);
        out.write('\n');
        written++;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
