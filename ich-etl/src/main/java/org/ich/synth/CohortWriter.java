package org.ich.synth;

import org.ich.dicom.DicomObject;
import org.ich.dicom.PixelMedDicom;
import org.ich.spark.Storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Renders and writes a planned cohort: one DICOM file per slice under {@code out}, and the label CSV; with
 * {@code ich.synth.masks} set, also a {@link BloodMask} PNG {@code <masks>/<SOPInstanceUID>.png} for each slice labelled
 * positive (label {@code any}), and none for the others. The masks are derived from the same rendering the DICOM is, and
 * nothing in the rendering or the DICOM depends on whether they are written. Patients
 * render in parallel, each from its own random streams, and labels are written in patient order, so the output is
 * the same for any thread count.
 */
public final class CohortWriter {
    private final Storage storage;
    private final Consumer<String> log;

    /** @param log receives progress lines; they never contain PHI */
    public CohortWriter(Storage storage, Consumer<String> log) {
        this.storage = storage;
        this.log = log;
    }

    /** Slice-level results of one patient: what the label file needs, nothing heavier. */
    private record PatientOutcome(List<String> sopUids, List<boolean[]> positives, long bytes, int masks) {}

    public SynthSummary write(Cohort cohort) throws IOException {
        long start = System.nanoTime();
        SynthConfig config = cohort.config();
        SynthOutput output = new SynthOutput(storage);
        output.prepare(config.out(), config.replace());
        if (config.writesMasks()) output.prepare(config.masks(), config.replace());

        List<PatientPlan> patients = cohort.patients();
        int threads = config.effectiveThreads();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ich-synth");
            t.setDaemon(true);
            return t;
        });
        Map<BleedType, Integer> positiveSlices = new EnumMap<>(BleedType.class);
        for (BleedType t : BleedType.values()) positiveSlices.put(t, 0);
        long files = 0, bytes = 0, slices = 0, masks = 0;
        int reportEvery = Math.max(1, patients.size() / 100);
        long labelRows;
        try (LabelCsv labels = new LabelCsv(output.create(config.labels()), config.seed(), 6L * cohort.totalSlices(),
                config.duplicateLabelRows())) {
            // Bounded look-ahead: at most a few patients' label rows wait in memory for their turn.
            int window = threads * 2;
            List<Future<PatientOutcome>> pending = new ArrayList<>();
            int submitted = 0;
            for (int done = 0; done < patients.size(); done++) {
                while (submitted < patients.size() && submitted < done + window) {
                    PatientPlan p = patients.get(submitted++);
                    pending.add(pool.submit(() -> writePatient(p, config.out(), config.masks(), output)));
                }
                PatientOutcome outcome = await(pending.remove(0));
                for (int k = 0; k < outcome.sopUids().size(); k++) {
                    boolean[] positive = outcome.positives().get(k);
                    labels.slice(outcome.sopUids().get(k), positive);
                    for (BleedType t : BleedType.values()) if (positive[t.ordinal()]) positiveSlices.merge(t, 1, Integer::sum);
                }
                files += outcome.sopUids().size();
                slices += outcome.sopUids().size();
                bytes += outcome.bytes();
                masks += outcome.masks();
                if ((done + 1) % reportEvery == 0 || done + 1 == patients.size()) {
                    log.accept(String.format(Locale.ROOT, "synth: %d/%d patients written, %d files, %.1f s",
                            done + 1, patients.size(), files, (System.nanoTime() - start) / 1e9));
                }
            }
            labelRows = labels.rowsWritten();
        } finally {
            pool.shutdownNow();
        }

        Map<CtEncoding, Integer> encodings = new EnumMap<>(CtEncoding.class);
        int implicit = 0, multiWindow = 0, odd = 0, bleeding = 0;
        for (PatientPlan p : patients) {
            SeriesPlan s = p.series();
            encodings.merge(s.encoding(), 1, Integer::sum);
            if (s.syntax() == TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN) implicit++;
            if (s.multiWindow()) multiWindow++;
            if (s.rows() != config.matrix() || s.columns() != config.matrix()) odd++;
            if (!p.bleedTypes().isEmpty()) bleeding++;
        }
        SynthSummary summary = new SynthSummary(patients.size(), files, bytes, slices, labelRows,
                (int) (labelRows - 6 * slices), bleeding, positiveSlices, encodings, implicit, multiWindow, odd,
                (System.nanoTime() - start) / 1e9);
        log.accept("synth: wrote " + summary + " to " + config.out() + " and " + config.labels());
        if (config.writesMasks()) log.accept("synth: wrote " + masks + " blood masks (positive slices) to " + config.masks());
        return summary;
    }

    /** @param masks the mask folder, or null for none */
    private static PatientOutcome writePatient(PatientPlan patient, URI out, URI masks, SynthOutput output) throws IOException {
        Phantom phantom = new Phantom(patient);
        SeriesPlan series = patient.series();
        List<boolean[]> positives = new ArrayList<>(series.slices());
        long bytes = 0;
        int maskFiles = 0;
        for (int k = 0; k < series.slices(); k++) {
            RenderedSlice rendered = phantom.render(k);
            DicomObject dicom = CtImageFactory.instance(patient, k, rendered);
            URI file = Storage.child(out, patient.relativePath(k));
            CountingStream counter;
            try (OutputStream stream = output.create(file)) {
                counter = new CountingStream(new BufferedOutputStream(stream, 1 << 16));
                PixelMedDicom.write(dicom, counter);
                counter.flush();
            }
            bytes += counter.count;
            boolean[] positive = new boolean[BleedType.values().length];
            for (BleedType t : BleedType.values()) positive[t.ordinal()] = rendered.positive(t);
            positives.add(positive);
            if (masks != null && rendered.any()) {
                byte[] png = BloodMask.png(BloodMask.of(rendered), rendered.rows(), rendered.columns());
                try (OutputStream stream = output.create(Storage.child(masks, series.sopUids().get(k) + BloodMask.SUFFIX))) {
                    stream.write(png);
                }
                maskFiles++;
            }
        }
        return new PatientOutcome(series.sopUids(), positives, bytes, maskFiles);
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the cohort", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof UncheckedIOException io) throw io.getCause();
            if (cause instanceof RuntimeException rt) throw rt;
            throw new IOException(cause);
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) { super(out); }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
