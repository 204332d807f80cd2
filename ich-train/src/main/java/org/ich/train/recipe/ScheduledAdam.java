package org.ich.train.recipe;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Adam whose beta1 follows a schedule as well as its rate, as PyTorch's {@code OneCycleLR} drives it
 * ({@link MomentumCycle}). DL4J's {@link Adam} reads a fixed beta1; each step here hands DL4J's own Adam updater (the
 * same native op, the same M and V state, so averaging and checkpoints treat it as Adam) the rate and beta1 of that
 * step.
 */
public final class ScheduledAdam implements IUpdater {

    private ISchedule rate;
    private final ISchedule beta1;
    private final double beta2;
    private final double epsilon;

    public ScheduledAdam(@JsonProperty("rate") ISchedule rate, @JsonProperty("beta1") ISchedule beta1,
                         @JsonProperty("beta2") double beta2, @JsonProperty("epsilon") double epsilon) {
        this.rate = Objects.requireNonNull(rate, "rate");
        this.beta1 = Objects.requireNonNull(beta1, "beta1");
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** DL4J's Adam defaults for beta2 and epsilon (PyTorch's too). */
    public ScheduledAdam(ISchedule rate, ISchedule beta1) {
        this(rate, beta1, Adam.DEFAULT_ADAM_BETA2_VAR_DECAY, Adam.DEFAULT_ADAM_EPSILON);
    }

    @JsonProperty("rate")
    public ISchedule rate() {
        return rate;
    }

    @JsonProperty("beta1")
    public ISchedule beta1() {
        return beta1;
    }

    @JsonProperty("beta2")
    public double beta2() {
        return beta2;
    }

    @JsonProperty("epsilon")
    public double epsilon() {
        return epsilon;
    }

    /** Plain Adam with this step's rate and beta1. */
    public Adam at(int iteration, int epoch) {
        return new Adam(rate.valueAt(iteration, epoch), beta1.valueAt(iteration, epoch), beta2, epsilon);
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater updater = new Updater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        long[] gradientShape = Arrays.copyOf(flat.shape(), flat.rank());
        gradientShape[0] /= 2; // the view holds M then V, each the gradient's length
        updater.setStateViewArray(flat, gradientShape, flat.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        Updater updater = new Updater(this);
        updater.setState(state, initializeStateArrays);
        return updater;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return rate.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        rate = lrSchedule != null ? lrSchedule : new FixedSchedule(lr);
    }

    @Override
    public ScheduledAdam clone() {
        return new ScheduledAdam(rate.clone(), beta1.clone(), beta2, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduledAdam a && a.rate.equals(rate) && a.beta1.equals(beta1) && a.beta2 == beta2
                && a.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rate, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "ScheduledAdam(rate " + rate + ", beta1 " + beta1 + ", beta2 " + beta2 + ", epsilon " + epsilon + ")";
    }

    /** DL4J's Adam updater, reconfigured for each step. */
    private static final class Updater implements GradientUpdater<ScheduledAdam> {

        private final ScheduledAdam config;
        private final AdamUpdater adam;

        Updater(ScheduledAdam config) {
            this.config = config;
            this.adam = new AdamUpdater(config.at(0, 0));
        }

        @Override
        public ScheduledAdam getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            adam.setState(stateMap, initialize);
        }

        @Override
        public Map<String, INDArray> getState() {
            return adam.getState();
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder,
                                      boolean initialize) {
            adam.setStateViewArray(viewArray, gradientShape, gradientOrder, initialize);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            adam.setConfig(config.at(iteration, epoch));
            adam.applyUpdater(gradient, iteration, epoch);
        }
    }
}
