package org.ich.train.recipe;

import java.util.Objects;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Leslie Smith's one-cycle learning rate: a cosine warm-up from {@code maxLr / divFactor} to {@code maxLr}
 * over the first {@code warmupFraction} of the phase, then a cosine anneal down to
 * {@code maxLr / divFactor / finalDivFactor}, where it stays.
 *
 * <p>ND4J's {@code CycleSchedule} does not fit: its warm-up and cool-down are forced to equal length,
 * its annealing tail multiplies by the decay once per iteration (so ten iterations at 0.1 take the rate
 * down by 1e10), and it restarts the cycle whenever the iteration count passes the cycle length. The
 * number of steps in a Spark epoch is only known to within a split, so a schedule that settles at its
 * floor is the safe one.
 *
 * <p>The clock is the network's iteration counter, which DL4J's parameter averaging advances on the
 * driver and hands to every worker, and which checkpoints keep; {@code startIteration} is where the
 * phase began, so a phase that starts after a frozen-backbone phase gets a full cycle of its own.
 */
public final class OneCycleSchedule implements ISchedule {

    private final double maxLr;
    private final long startIteration;
    private final long totalIterations;
    private final double warmupFraction;
    private final double divFactor;
    private final double finalDivFactor;

    public OneCycleSchedule(@JsonProperty("maxLr") double maxLr,
                            @JsonProperty("startIteration") long startIteration,
                            @JsonProperty("totalIterations") long totalIterations,
                            @JsonProperty("warmupFraction") double warmupFraction,
                            @JsonProperty("divFactor") double divFactor,
                            @JsonProperty("finalDivFactor") double finalDivFactor) {
        if (!(maxLr > 0) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("maxLr must be a positive number, got " + maxLr);
        }
        if (totalIterations < 1 || startIteration < 0) {
            throw new IllegalArgumentException("need startIteration >= 0 and totalIterations >= 1, got "
                    + startIteration + " and " + totalIterations);
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("warmupFraction must be in [0, 1), got " + warmupFraction);
        }
        if (!(divFactor >= 1) || !(finalDivFactor >= 1)) {
            throw new IllegalArgumentException("divFactor and finalDivFactor must be >= 1");
        }
        this.maxLr = maxLr;
        this.startIteration = startIteration;
        this.totalIterations = totalIterations;
        this.warmupFraction = warmupFraction;
        this.divFactor = divFactor;
        this.finalDivFactor = finalDivFactor;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return along(iteration, initialLr(), maxLr, finalLr());
    }

    /**
     * A value that follows this cycle's shape: {@code start} at the phase's first step, {@code peak} where the rate
     * peaks, {@code end} from the last step on, cosine in between (the momentum cycle runs the rate's inverted).
     */
    double along(int iteration, double start, double peak, double end) {
        long step = Math.max(0, iteration - startIteration);
        long warmup = Math.round(totalIterations * warmupFraction);
        if (step < warmup) {
            return cosine(start, peak, (double) step / warmup);
        }
        if (step >= totalIterations) {
            return end;
        }
        return cosine(peak, end, (double) (step - warmup) / (totalIterations - warmup));
    }

    /** From {@code from} at t = 0 to {@code to} at t = 1, flat at both ends. */
    private static double cosine(double from, double to, double t) {
        return to + (from - to) * (1 + Math.cos(Math.PI * t)) / 2;
    }

    public double initialLr() {
        return maxLr / divFactor;
    }

    public double finalLr() {
        return maxLr / divFactor / finalDivFactor;
    }

    @JsonProperty("maxLr")
    public double maxLr() {
        return maxLr;
    }

    @JsonProperty("startIteration")
    public long startIteration() {
        return startIteration;
    }

    @JsonProperty("totalIterations")
    public long totalIterations() {
        return totalIterations;
    }

    @JsonProperty("warmupFraction")
    public double warmupFraction() {
        return warmupFraction;
    }

    @JsonProperty("divFactor")
    public double divFactor() {
        return divFactor;
    }

    @JsonProperty("finalDivFactor")
    public double finalDivFactor() {
        return finalDivFactor;
    }

    @Override
    public ISchedule clone() {
        return new OneCycleSchedule(maxLr, startIteration, totalIterations, warmupFraction, divFactor, finalDivFactor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OneCycleSchedule s && s.maxLr == maxLr && s.startIteration == startIteration
                && s.totalIterations == totalIterations && s.warmupFraction == warmupFraction
                && s.divFactor == divFactor && s.finalDivFactor == finalDivFactor;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxLr, startIteration, totalIterations, warmupFraction, divFactor, finalDivFactor);
    }

    @Override
    public String toString() {
        return String.format("OneCycle(max %.3g, start %d, %d steps, warm-up %.0f%%, from %.3g to %.3g)",
                maxLr, startIteration, totalIterations, 100 * warmupFraction, initialLr(), finalLr());
    }
}
