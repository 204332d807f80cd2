package org.ich.train.recipe;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

/** The optimisers {@code ich.train.optimizer} offers, each driven by a learning-rate and a momentum schedule. */
public enum Optimizer {
    /** Adam with its beta1 as the momentum ({@link ScheduledAdam}). */
    ADAM,
    /** Plain SGD rarely trains a ResNet well from scratch; with Nesterov momentum it is the classic recipe. */
    SGD;

    public IUpdater updater(ISchedule learningRate, ISchedule momentum) {
        return this == ADAM ? new ScheduledAdam(learningRate, momentum) : new Nesterovs(learningRate, momentum);
    }
}
