package org.ich.train.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.ich.domain.Labels;
import org.ich.train.metrics.RankAuc;
import org.ich.train.metrics.RsnaMetric;

/**
 * The full evaluation table: per level (slice, study), per stratum and per label, discrimination
 * (AUC with a patient bootstrap interval), loss and calibration, plus the operating points on the
 * study-level "any" rows, which are what a triage worklist would act on.
 */
public final class Evaluation {

    public static final String SLICE = "slice";
    public static final String STUDY = "study";
    public static final List<String> LEVELS = List.of(SLICE, STUDY);

    private Evaluation() {
    }

    /**
     * Rows ordered by level (slice, study), then stratum ("all" first, then {@link Strata#KINDS} in
     * order with their values sorted), then label in {@link Labels#NAMES} order.
     *
     * @param slices scored slices; the study level is their {@link Studies#rollup}
     * @param points operating points, usually from {@link #choose} on the validation slices
     */
    public static List<EvaluationRow> compute(List<Case> slices, List<OperatingPoint> points,
                                              EvaluationOptions options) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("No slices to evaluate");
        }
        List<EvaluationRow> rows = new ArrayList<>();
        for (String level : LEVELS) {
            List<Case> cases = level.equals(SLICE) ? slices : Studies.rollup(slices);
            rows.addAll(stratumRows(level, Strata.ALL, Strata.ALL, cases, points, options));
            for (String kind : Strata.KINDS) {
                Map<String, List<Case>> byValue = new TreeMap<>();
                for (Case c : cases) {
                    byValue.computeIfAbsent(c.stratum(kind), key -> new ArrayList<>()).add(c);
                }
                for (Map.Entry<String, List<Case>> entry : byValue.entrySet()) {
                    rows.addAll(stratumRows(level, kind, entry.getKey(), entry.getValue(), points, options));
                }
            }
        }
        return rows;
    }

    /**
     * Study-level "any" operating points chosen on the rollup of {@code validSlices}, one per
     * entry of {@code targets} (name to target sensitivity), in the map's order.
     */
    public static List<OperatingPoint> choose(List<Case> validSlices, Map<String, Double> targets) {
        List<Case> studies = Studies.rollup(validSlices);
        double[] scores = column(studies, Labels.ANY);
        int[] labels = labelColumn(studies, Labels.ANY);
        List<OperatingPoint> points = new ArrayList<>(targets.size());
        for (Map.Entry<String, Double> target : targets.entrySet()) {
            points.add(OperatingPoint.choose(target.getKey(), target.getValue(), scores, labels));
        }
        return points;
    }

    private static List<EvaluationRow> stratumRows(String level, String kind, String value, List<Case> cases,
                                                   List<OperatingPoint> points, EvaluationOptions options) {
        double[][] probs = new double[cases.size()][];
        int[][] truth = new int[cases.size()][];
        String[] patients = new String[cases.size()];
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < cases.size(); i++) {
            probs[i] = cases.get(i).probs();
            truth[i] = cases.get(i).labels();
            patients[i] = cases.get(i).patient();
            distinct.add(patients[i]);
        }
        double weightedLogLoss = RsnaMetric.weightedLogLoss(probs, truth);

        List<EvaluationRow> rows = new ArrayList<>(Labels.COUNT);
        for (int j = 0; j < Labels.COUNT; j++) {
            String label = Labels.NAMES.get(j);
            double[] p = column(cases, j);
            int[] y = labelColumn(cases, j);
            long positives = 0;
            double logLoss = 0;
            for (int i = 0; i < p.length; i++) {
                positives += y[i];
                logLoss += RsnaMetric.logLoss(p[i], y[i]);
            }
            Interval aucCi = PatientBootstrap.auc(p, y, patients, options.replicates(),
                    rowSeed(options.seed(), level, label, kind, value));
            Calibration calibration = Calibration.of(p, y, options.bins());
            List<PointResult> applied = new ArrayList<>();
            if (level.equals(STUDY) && j == Labels.ANY) {
                for (OperatingPoint point : points) {
                    applied.add(new PointResult(point, Confusion.at(point.threshold(), p, y)));
                }
            }
            rows.add(new EvaluationRow(level, label, kind, value, p.length, positives, distinct.size(),
                    RankAuc.of(p, y), aucCi, logLoss / p.length, weightedLogLoss,
                    calibration.ece(), calibration.bins(), applied));
        }
        return rows;
    }

    /**
     * A row's bootstrap seed: the base seed mixed with a 64-bit FNV-1a hash of the row's key, so a
     * row's interval depends only on its own cases, not on which other strata happen to exist.
     */
    static long rowSeed(long seed, String level, String label, String kind, String value) {
        long hash = 0xcbf29ce484222325L ^ seed;
        byte[] key = String.join("\u001f", level, label, kind, value).getBytes(StandardCharsets.UTF_8);
        for (byte b : key) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static double[] column(List<Case> cases, int j) {
        double[] column = new double[cases.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = cases.get(i).probs()[j];
        }
        return column;
    }

    private static int[] labelColumn(List<Case> cases, int j) {
        int[] column = new int[cases.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = cases.get(i).labels()[j];
        }
        return column;
    }
}
