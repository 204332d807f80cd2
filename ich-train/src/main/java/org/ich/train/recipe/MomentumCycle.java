package org.ich.train.recipe;

import java.util.Objects;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The momentum half of the one-cycle policy: high ({@code max}) while the rate is low, down to {@code base} at the
 * rate's peak and back up as it anneals, on the same steps as its {@link OneCycleSchedule}. For Adam the momentum is
 * beta1, as in PyTorch's {@code OneCycleLR} (0.95 -> 0.85 -> 0.95 by default): less momentum where the steps are
 * largest.
 */
public final class MomentumCycle implements ISchedule {

    private final OneCycleSchedule rate;
    private final double base;
    private final double max;

    public MomentumCycle(@JsonProperty("rate") OneCycleSchedule rate, @JsonProperty("base") double base,
                         @JsonProperty("max") double max) {
        if (!(base >= 0 && base <= max && max < 1)) {
            throw new IllegalArgumentException("need 0 <= base <= max < 1, got base " + base + " and max " + max);
        }
        this.rate = Objects.requireNonNull(rate, "rate");
        this.base = base;
        this.max = max;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return rate.along(iteration, max, base, max);
    }

    @JsonProperty("rate")
    public OneCycleSchedule rate() {
        return rate;
    }

    @JsonProperty("base")
    public double base() {
        return base;
    }

    @JsonProperty("max")
    public double max() {
        return max;
    }

    @Override
    public ISchedule clone() {
        return new MomentumCycle(rate, base, max);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MomentumCycle m && m.rate.equals(rate) && m.base == base && m.max == max;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rate, base, max);
    }

    @Override
    public String toString() {
        return String.format("MomentumCycle(%.3g -> %.3g -> %.3g)", max, base, max);
    }
}
