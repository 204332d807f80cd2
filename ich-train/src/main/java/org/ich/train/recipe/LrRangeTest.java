package org.ich.train.recipe;

import java.util.ArrayList;
import java.util.List;

/**
 * Leslie Smith's learning-rate range test, without the training: the learning rate for each step of an
 * exponential ramp, an exponentially smoothed (bias-corrected) loss curve, the divergence stop, and the
 * suggestion read off the curve. The caller trains one batch per {@link #nextLr()} and reports the loss.
 */
public final class LrRangeTest {

    private final double minLr;
    private final double maxLr;
    private final int steps;
    private final double smoothing;
    private final double divergence;

    private final List<Double> lrs = new ArrayList<>();
    private final List<Double> smoothed = new ArrayList<>();
    private double average;
    private double best = Double.POSITIVE_INFINITY;
    private boolean diverged;

    /**
     * @param smoothing  weight of the running average (0.98 follows fastai), 0 = raw losses
     * @param divergence stop once the smoothed loss exceeds this multiple of the best one seen
     */
    public LrRangeTest(double minLr, double maxLr, int steps, double smoothing, double divergence) {
        if (!(minLr > 0) || !(maxLr > minLr) || steps < 2 || !(smoothing >= 0 && smoothing < 1) || !(divergence > 1)) {
            throw new IllegalArgumentException("need 0 < minLr < maxLr, steps >= 2, 0 <= smoothing < 1, divergence > 1");
        }
        this.minLr = minLr;
        this.maxLr = maxLr;
        this.steps = steps;
        this.smoothing = smoothing;
        this.divergence = divergence;
    }

    public int steps() {
        return steps;
    }

    public boolean finished() {
        return diverged || lrs.size() >= steps;
    }

    public boolean diverged() {
        return diverged;
    }

    /** The rate for the next step: minLr at the first, maxLr at the last, evenly spaced in log scale. */
    public double nextLr() {
        return lrAt(lrs.size());
    }

    double lrAt(int step) {
        return minLr * Math.pow(maxLr / minLr, (double) step / (steps - 1));
    }

    /** Records the loss of the step just trained at {@link #nextLr()}. */
    public void record(double loss) {
        if (finished()) {
            throw new IllegalStateException("the range test has finished");
        }
        double lr = nextLr();
        if (!Double.isFinite(loss)) {
            diverged = true;
            return;
        }
        average = smoothing * average + (1 - smoothing) * loss;
        double value = average / (1 - Math.pow(smoothing, lrs.size() + 1));
        lrs.add(lr);
        smoothed.add(value);
        best = Math.min(best, value);
        if (lrs.size() > 1 && value > divergence * best) {
            diverged = true;
        }
    }

    public List<Double> lrs() {
        return List.copyOf(lrs);
    }

    public List<Double> smoothedLosses() {
        return List.copyOf(smoothed);
    }

    /** The rate where the smoothed loss was lowest (NaN before any step). */
    public double minLossLr() {
        int at = argMin();
        return at < 0 ? Double.NaN : lrs.get(at);
    }

    /**
     * The rate where the smoothed loss falls fastest against log(lr), looked for before the minimum (past
     * it the loss is already climbing) and after the first tenth of the ramp (where the bias-corrected
     * average still swings). NaN when the curve never falls.
     */
    public double steepestLr() {
        int end = argMin();
        int start = Math.max(1, lrs.size() / 10);
        double steepest = 0;
        double at = Double.NaN;
        for (int i = start; i <= end; i++) {
            double slope = (smoothed.get(i) - smoothed.get(i - 1)) / (Math.log(lrs.get(i)) - Math.log(lrs.get(i - 1)));
            if (slope < steepest) {
                steepest = slope;
                at = lrs.get(i);
            }
        }
        return at;
    }

    /** The steepest descent when the curve has one, else a tenth of the rate at the minimum (fastai's rules). */
    public double suggestedLr() {
        double steepest = steepestLr();
        return Double.isFinite(steepest) ? steepest : minLossLr() / 10;
    }

    private int argMin() {
        int at = -1;
        for (int i = 0; i < smoothed.size(); i++) {
            if (at < 0 || smoothed.get(i) < smoothed.get(at)) {
                at = i;
            }
        }
        return at;
    }
}
