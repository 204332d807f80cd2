package org.ich.train.recipe;

import java.util.Locale;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

/** The optimisers {@code ich.train.optimizer} offers, each driven by a learning-rate schedule. */
public enum Optimizer {
    ADAM,
    /** Plain SGD rarely trains a ResNet well from scratch; with Nesterov momentum it is the classic recipe. */
    SGD;

    public IUpdater updater(ISchedule learningRate, double momentum) {
        return this == ADAM ? new Adam(learningRate) : new Nesterovs(learningRate, momentum);
    }
}
