package org.ich.train.recipe;

import java.util.List;

import org.ich.config.ConfigError;
import org.ich.config.Settings;
import org.ich.train.model.ModelSpec;

/**
 * How the network is trained (keys under {@code ich.train}): epochs, frozen-backbone epochs, optimiser,
 * one-cycle parameters, weight decay, image sizes and precision.
 *
 * @param sizes input sizes in training order (progressive resizing); empty = the table's tensor size
 * @param maxMomentum     Adam's beta1 (SGD's momentum) at the ends of the one cycle; {@code baseMomentum} at its peak
 * @param batchNormSlices training slices the batch-norm statistics are measured on after every epoch (0 = keep
 *                        DL4J's running averages; {@link org.ich.train.model.BatchNormStatistics})
 */
public record RecipeConfig(int epochs, int headEpochs, Optimizer optimizer, double maxLr, double maxMomentum,
                           double baseMomentum, double weightDecay, double warmupFraction, double divFactor,
                           double finalDivFactor, double unfreezeLrFactor, List<Integer> sizes, Precision precision,
                           long seed, int batchNormSlices) {

    public static RecipeConfig from(Settings s) {
        int epochs = s.integer("ich.train.epochs", 1, 10_000);
        int headEpochs = s.integer("ich.train.head-epochs", 0, 10_000);
        if (headEpochs >= epochs) {
            throw new ConfigError("ich.train.head-epochs", "must be below ich.train.epochs (" + epochs
                    + ") so the whole network trains at least one epoch, got " + headEpochs);
        }
        Optimizer optimizer = s.choice("ich.train.optimizer", Optimizer.class);
        double maxMomentum = s.number("ich.train.max-momentum", 0, 0.999);
        double baseMomentum = s.number("ich.train.base-momentum", 0, 0.999);
        if (baseMomentum > maxMomentum) {
            throw new ConfigError("ich.train.base-momentum", "is the momentum at the rate's peak and must not exceed"
                    + " ich.train.max-momentum (" + maxMomentum + "), got " + baseMomentum);
        }
        return new RecipeConfig(epochs, headEpochs, optimizer,
                s.number("ich.train.max-lr", 1e-8, 10), maxMomentum, baseMomentum,
                s.number("ich.train.weight-decay", 0, 1),
                s.number("ich.train.warmup-fraction", 0, 0.99),
                s.number("ich.train.div-factor", 1, 1e6),
                s.number("ich.train.final-div-factor", 1, 1e9),
                s.number("ich.train.unfreeze-lr-factor", 1e-6, 1),
                sizes(s), s.choice(Precision.KEY, Precision.class), s.longValue("ich.train.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                s.integer("ich.train.batch-norm-slices", 0, 10_000_000));
    }

    static List<Integer> sizes(Settings s) {
        return s.integers("ich.train.sizes", ModelSpec.MIN_SIZE, 2048);
    }

    /** Learning rate at the peak of the cycle of a phase: lower once the backbone thaws after a head phase. */
    public double peakLr(Phase phase) {
        return phase == Phase.ALL && headEpochs > 0 ? maxLr * unfreezeLrFactor : maxLr;
    }
}
