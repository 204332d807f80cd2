package org.ich.train.recipe;

import java.util.List;

/**
 * Which phase and input size each epoch has. The first {@code headEpochs} train the head alone; the
 * sizes split the epochs into equal runs in the order given (progressive resizing: small images first,
 * when whole-image features are cheap to learn, then the full size the model is kept at).
 */
public record TrainingPlan(int epochs, int headEpochs, List<Integer> sizes) {

    public TrainingPlan {
        if (epochs < 1 || headEpochs < 0 || headEpochs >= epochs) {
            throw new IllegalArgumentException("need 0 <= headEpochs < epochs, got " + headEpochs + " of " + epochs);
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("at least one size is needed");
        }
        sizes = List.copyOf(sizes);
    }

    public static TrainingPlan of(RecipeConfig recipe, int tableSize) {
        return new TrainingPlan(recipe.epochs(), recipe.headEpochs(),
                recipe.sizes().isEmpty() ? List.of(tableSize) : recipe.sizes());
    }

    /** @param epoch 0-based */
    public Phase phase(int epoch) {
        return epoch < headEpochs ? Phase.HEAD : Phase.ALL;
    }

    /** @param epoch 0-based */
    public int size(int epoch) {
        return sizes.get(Math.min(sizes.size() - 1, (int) ((long) epoch * sizes.size() / epochs)));
    }

    /** The size the finished model is trained last at, and recorded with. */
    public int finalSize() {
        return sizes.get(sizes.size() - 1);
    }

    public int phaseEpochs(Phase phase) {
        return phase == Phase.HEAD ? headEpochs : epochs - headEpochs;
    }

    /** Whether {@code epoch} begins a phase, i.e. the network must be (re)prepared before it. */
    public boolean startsPhase(int epoch) {
        return epoch == 0 || phase(epoch) != phase(epoch - 1);
    }
}
