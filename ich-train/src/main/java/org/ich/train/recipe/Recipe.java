package org.ich.train.recipe;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.ich.train.model.ResNets;

/**
 * Readies a network for a phase of the {@link TrainingPlan}: the optimiser with a fresh one-cycle
 * schedule over the phase's steps, weight decay, and a frozen backbone for {@link Phase#HEAD}.
 */
public final class Recipe {

    private final RecipeConfig config;

    public Recipe(RecipeConfig config) {
        this.config = config;
    }

    public RecipeConfig config() {
        return config;
    }

    /**
     * @param stepsPerEpoch optimiser steps each worker takes per epoch (the schedule's clock); an estimate
     *                      is fine, the schedule stays at its floor past the end
     */
    public ComputationGraph prepare(ComputationGraph graph, Phase phase, int phaseEpochs, long stepsPerEpoch) {
        int iterations = graph.getConfiguration().getIterationCount();
        int epochs = graph.getConfiguration().getEpochCount();
        OneCycleSchedule schedule = schedule(phase, iterations, phaseEpochs * Math.max(1, stepsPerEpoch));
        MomentumCycle momentum = new MomentumCycle(schedule, config.baseMomentum(), config.maxMomentum());
        FineTuneConfiguration fineTune = new FineTuneConfiguration.Builder()
                .updater(config.optimizer().updater(schedule, momentum))
                // Decoupled (AdamW-style) decay scaled by the learning rate, so it anneals with the cycle.
                .weightDecay(config.weightDecay(), true)
                .seed(config.seed())
                .build();
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(Freezing.thaw(graph))
                .fineTuneConfiguration(fineTune);
        if (phase == Phase.HEAD) {
            builder.setFeatureExtractor(ResNets.FEATURES);
        }
        ComputationGraph prepared = builder.build();
        // The counters are the schedule's clock and the checkpoints' position; the rebuilt graph starts at 0.
        prepared.getConfiguration().setIterationCount(iterations);
        prepared.getConfiguration().setEpochCount(epochs);
        return prepared;
    }

    public OneCycleSchedule schedule(Phase phase, long startIteration, long totalIterations) {
        return new OneCycleSchedule(config.peakLr(phase), startIteration, totalIterations,
                config.warmupFraction(), config.divFactor(), config.finalDivFactor());
    }
}
