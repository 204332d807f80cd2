package org.ich.synth;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The plan of a whole synthetic cohort. Which patients bleed and which series carry which quirk are chosen here,
 * by seeded permutations with exact quotas rather than independent coin flips, so small cohorts still contain every
 * feature that is switched on and bleed subtypes are spread evenly (every subtype appears once five bleeds exist).
 */
public final class Cohort {
    private static final SeriesPlan.Window BRAIN = new SeriesPlan.Window(40, 80);
    private static final List<SeriesPlan.Window> SINGLE_WINDOWS = List.of(
            BRAIN, BRAIN, new SeriesPlan.Window(35, 80), new SeriesPlan.Window(40, 120), new SeriesPlan.Window(50, 100));
    /** Brain and subdural windows, stored as "40\80" and "80\200". */
    private static final List<SeriesPlan.Window> DOUBLE_WINDOW = List.of(BRAIN, new SeriesPlan.Window(80, 200));

    private final SynthConfig config;
    private final List<PatientPlan> patients;

    private Cohort(SynthConfig config, List<PatientPlan> patients) {
        this.config = config;
        this.patients = List.copyOf(patients);
    }

    public static Cohort plan(SynthConfig config) {
        int n = config.patients();
        long seed = config.seed();
        SeededRandom r = SeededRandom.derive(seed, "cohort");

        BitSet bleeding = firstOf(r.permutation(n), 0, SynthConfig.quota(config.bleedFraction(), n));
        int[] byEncoding = r.permutation(n);
        int bad = SynthConfig.quota(config.badInterceptFraction(), n);
        BitSet badIntercept = firstOf(byEncoding, 0, bad);
        BitSet signed = firstOf(byEncoding, bad, Math.min(n - bad, SynthConfig.quota(config.signedFraction(), n)));
        BitSet implicit = firstOf(r.permutation(n), 0, SynthConfig.quota(config.implicitVrFraction(), n));
        BitSet multiWindow = firstOf(r.permutation(n), 0, SynthConfig.quota(config.multiWindowFraction(), n));
        int[] oddOrder = r.permutation(n);
        int[] oddVariant = new int[n];
        Arrays.fill(oddVariant, -1);
        for (int k = 0; k < SynthConfig.quota(config.oddMatrixFraction(), n); k++) oddVariant[oddOrder[k]] = k % 3;

        int[] bleedCount = new int[n];
        int totalBleeds = 0;
        for (int i = 0; i < n; i++) {
            if (bleeding.get(i)) bleedCount[i] = r.chance(0.5) ? 2 : 1;
            totalBleeds += bleedCount[i];
        }
        List<BleedType> types = balancedTypes(r, totalBleeds);

        SyntheticPeople people = new SyntheticPeople(seed);
        List<PatientPlan> plans = new ArrayList<>(n);
        int nextType = 0;
        for (int i = 0; i < n; i++) {
            PatientPhi phi = people.patient(i);
            HeadAnatomy head = new HeadAnatomy(SeededRandom.derive(seed, "anatomy", i));
            List<Bleed> bleeds = new ArrayList<>();
            for (int b = 0; b < bleedCount[i]; b++) {
                bleeds.add(bleed(types.get(nextType++), head, SeededRandom.derive(seed, "bleed", i, b)));
            }
            CtEncoding encoding = badIntercept.get(i) ? CtEncoding.BAD_INTERCEPT : signed.get(i) ? CtEncoding.SIGNED_16 : null;
            SeriesPlan series = series(config, i, head, encoding, implicit.get(i), multiWindow.get(i), oddVariant[i],
                    SeededRandom.derive(seed, "series", i));
            String patientFolder = String.format(Locale.ROOT, "patient-%05d", i + 1);
            String studyFolder = "study-" + Uids.token(seed, "study-folder", i);
            plans.add(new PatientPlan(i, seed, phi, head, bleeds, series, patientFolder, studyFolder));
        }
        return new Cohort(config, plans);
    }

    public SynthConfig config() { return config; }

    public List<PatientPlan> patients() { return patients; }

    public int totalSlices() {
        return patients.stream().mapToInt(p -> p.series().slices()).sum();
    }

    /** Every identifying string written anywhere in the cohort (see {@link PatientPhi#identifyingStrings()}). */
    public Set<String> identifyingStrings() {
        Set<String> all = new LinkedHashSet<>();
        for (PatientPlan p : patients) all.addAll(p.phi().identifyingStrings());
        return all;
    }

    private static BitSet firstOf(int[] order, int from, int count) {
        BitSet set = new BitSet();
        for (int k = from; k < from + count && k < order.length; k++) set.set(order[k]);
        return set;
    }

    /** Shuffled blocks that each hold every subtype once. */
    private static List<BleedType> balancedTypes(SeededRandom r, int count) {
        BleedType[] all = BleedType.values();
        List<BleedType> out = new ArrayList<>(count);
        while (out.size() < count) {
            for (int k : r.permutation(all.length)) out.add(all[k]);
        }
        return out.subList(0, count);
    }

    private static Bleed bleed(BleedType type, HeadAnatomy head, SeededRandom r) {
        return switch (type) {
            case EPIDURAL -> ConvexityBleed.epidural(head, r);
            case SUBDURAL -> ConvexityBleed.subdural(head, r);
            case INTRAPARENCHYMAL -> ParenchymalBleed.draw(head, r);
            case INTRAVENTRICULAR -> VentricularBleed.draw(head, r);
            case SUBARACHNOID -> SubarachnoidBleed.draw(head, r);
        };
    }

    /**
     * Slices run from just outside the skin below the head to just outside it above (0.985 to 1.06 of the head's
     * half-height), so the first and last slice hold at most a small disc of scalp and the ETL's empty-slice rule
     * has something to find.
     */
    private static SeriesPlan series(SynthConfig config, int i, HeadAnatomy head, CtEncoding fixedEncoding, boolean implicit,
                                     boolean multiWindow, int oddVariant, SeededRandom r) {
        int m = config.matrix();
        int rows = m, columns = m;
        switch (oddVariant) {
            case 0 -> { rows = m / 2; columns = m / 2; }
            case 1 -> { rows = 3 * m / 4; columns = 3 * m / 4; }
            case 2 -> columns = 7 * m / 8;
            default -> { }
        }
        double fov = r.uniform(235, 250);
        double pixelSpacing = round(fov / Math.max(rows, columns), 4);
        int slices = r.between(config.minSlices(), config.maxSlices());
        double halfHeight = head.shells[0][2];
        double below = r.uniform(0.985, 1.06), above = r.uniform(0.985, 1.06);
        double sliceSpacing = Math.ceil(halfHeight * (below + above) / (slices - 1) * 1000) / 1000;
        double firstZ = round(-halfHeight * below, 3);
        double tableZ = round(r.uniform(-160, 60), 1);
        CtEncoding encoding = fixedEncoding != null ? fixedEncoding : r.chance(0.5) ? CtEncoding.UNSIGNED_12 : CtEncoding.UNSIGNED_16;
        List<SeriesPlan.Window> windows = multiWindow ? DOUBLE_WINDOW : List.of(r.pick(SINGLE_WINDOWS));
        Scanner scanner = Scanner.draw(r);
        int seriesNumber = r.between(2, 6);
        long seed = config.seed();
        List<String> sops = new ArrayList<>(slices);
        for (int k = 0; k < slices; k++) sops.add(Uids.of(seed, "sop", i, k));
        return new SeriesPlan(seriesNumber, rows, columns, pixelSpacing, sliceSpacing, firstZ, tableZ, slices, encoding,
                implicit ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, windows, scanner,
                Uids.of(seed, "study", i), Uids.of(seed, "series", i), Uids.of(seed, "frame-of-reference", i), sops,
                FileNames.draw(r, seriesNumber, sops));
    }

    private static double round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }
}
