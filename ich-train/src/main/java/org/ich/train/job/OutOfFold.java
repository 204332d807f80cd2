package org.ich.train.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.io.PrintStream;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.domain.Split;
import org.ich.train.data.Seeds;
import org.ich.train.data.TrainingData;
import org.ich.train.recipe.Phase;
import org.ich.train.recipe.Recipe;
import org.ich.train.recipe.TrainingPlan;

/**
 * Slice networks for the context stage's training embeddings, one per fold of the train patients, each trained by
 * the version's recipe on the train patients outside its fold. The version's own slice network has fitted every train
 * slice (train loss far below valid loss on a small cohort), so its outputs on them are surer than on any new slice;
 * a context stage trained on those learns to trust logits it will not see again, and overfits (measured:
 * {@code ich bench quality}, README). Out-of-fold outputs are as unsure as on new patients, which is what the
 * context stage meets on valid and in scoring. The usual stacking remedy; the fold networks are used for embedding only
 * and not kept.
 */
final class OutOfFold {
    /** Seeds.of's epoch slot for the fold draw: no training epoch uses it. */
    private static final int FOLD_DRAW = -1;

    private final JavaSparkContext sc;
    private final TrainConfig config;
    private final List<String> labelColumns;
    private final PrintStream out;

    OutOfFold(JavaSparkContext sc, TrainConfig config, List<String> labelColumns, PrintStream out) {
        this.sc = sc;
        this.config = config;
        this.labelColumns = List.copyOf(labelColumns);
        this.out = out;
    }

    /** The fold of a train patient: a keyed hash of the seed and the pseudonym, so every slice of a patient shares it. */
    static int fold(long seed, int folds, String patientKey) {
        return (int) Math.min(folds - 1, Seeds.unit(seed, FOLD_DRAW, patientKey) * folds);
    }

    /** Whether a row of {@code slices} is a train slice of fold {@code f}. */
    Column inFold(int f) {
        long seed = config.recipe().seed();
        int folds = config.sequence().folds();
        return col("split").equalTo(lit(Split.TRAIN)).and(udf((UDF1<String, Boolean>) p -> fold(seed, folds, p) == f,
                DataTypes.BooleanType).apply(col("patient_key")));
    }

    /** Trains fold {@code f}'s network from {@code initial}: every epoch of the plan, on the train slices outside it. */
    ComputationGraph train(int f, Dataset<Row> table, TrainingPlan plan, ComputationGraph initial) {
        int folds = config.sequence().folds();
        TrainingData data = new TrainingData(table.where(inFold(f).unary_$bang()), config.data(), labelColumns);
        EpochTrainer trainer = new EpochTrainer(sc, config.distributed(), config.data().batchSize(),
                config.recipe().batchNormSlices(), out);
        Recipe recipe = new Recipe(config.recipe());
        ComputationGraph model = initial;
        for (int epoch = 0; epoch < plan.epochs(); epoch++) {
            TrainingData.Epoch slices = data.trainEpoch(epoch, plan.size(epoch));
            Phase phase = plan.phase(epoch);
            if (plan.startsPhase(epoch)) {
                model = recipe.prepare(model, phase, plan.phaseEpochs(phase), trainer.stepsPerEpoch(slices.slices()));
            }
            model = trainer.fit(model, data, slices, String.format("train: fold %d/%d for the context stage, epoch %d/%d",
                    f + 1, folds, epoch + 1, plan.epochs()), config.recipe().seed() + epoch).model();
        }
        return model;
    }
}
