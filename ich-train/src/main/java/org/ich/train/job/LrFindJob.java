package org.ich.train.job;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;

import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.ich.config.ConfigError;
import org.ich.spark.Storage;
import org.ich.train.data.PinnedSlices;
import org.ich.train.data.TrainingData;
import org.ich.domain.Labels;
import org.ich.train.model.ModelSpec;
import org.ich.train.model.NativeHelpers;
import org.ich.train.model.ResNets;
import org.ich.train.recipe.LrChart;
import org.ich.train.recipe.LrFindConfig;
import org.ich.train.recipe.LrFinder;
import org.ich.train.recipe.LrRangeTest;
import org.ich.train.recipe.Phase;
import org.ich.train.recipe.Recipe;
import org.jfree.chart.ChartUtils;

/**
 * {@code ich lr-find}: the learning-rate range test for the configured network and data. A short run on
 * one model, so it trains on the driver; the minibatches are decoded and augmented on the executors as in
 * training and stream to the driver a partition at a time.
 */
public final class LrFindJob {

    public static final String CHART = "lr-find.png";

    /** What the test found, and where its chart is. */
    public record Result(double suggestedLr, double steepestLr, double minLossLr, int steps, boolean diverged,
                         URI chart) {
    }

    private final SparkSession spark;
    private final TrainConfig train;
    private final LrFindConfig config;
    private final PrintStream out;

    public LrFindJob(SparkSession spark, TrainConfig train, LrFindConfig config, PrintStream out) {
        this.spark = spark;
        this.train = train;
        this.config = config;
        this.out = out;
    }

    public Result run() throws IOException {
        train.recipe().precision().checkSupported();
        NativeHelpers.enable();
        PinnedSlices table = PinnedSlices.read(spark, train.common());
        int size = config.size() > 0 ? config.size()
                : train.recipe().sizes().isEmpty() ? table.size() : train.recipe().sizes().get(0);
        if (size > table.size()) {
            throw new ConfigError("ich.train.lr-find.size", "size " + size + " exceeds the table's " + table.size() + " px");
        }
        ModelSpec spec = new ModelSpec(train.architecture(), train.data().inputChannels(table.channels()), size,
                train.head(), Labels.RSNA_ANY_WEIGHT);
        TrainingData data = new TrainingData(table.rows(), train.data(),
                Labels.LABEL_COLUMNS.subList(0, spec.head().outputs()));
        ComputationGraph graph = new Recipe(train.recipe())
                .prepare(ResNets.build(spec, train.recipe().seed()), Phase.ALL, 1, config.batches());
        out.printf("lr-find: %s, %d px, learning rate %.1e -> %.1e over %d batches of %d%n", spec.architecture(), size,
                config.minLr(), config.maxLr(), config.batches(), train.data().batchSize());
        int[] epoch = {0};
        LrRangeTest test = LrFinder.run(graph, config.newTest(),
                () -> data.batches(data.trainEpoch(epoch[0]++, size)).toLocalIterator(), out);

        Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
        URI chart = Storage.child(config.out(), CHART);
        try (OutputStream png = storage.create(chart)) {
            ChartUtils.writeChartAsPNG(png, LrChart.of(test), 900, 500);
        }
        Result result = new Result(test.suggestedLr(), test.steepestLr(), test.minLossLr(), test.lrs().size(),
                test.diverged(), chart);
        out.printf("lr-find: %d steps%s; loss fell fastest at %.2g, lowest at %.2g%n", result.steps(),
                result.diverged() ? " (stopped at divergence)" : "", result.steepestLr(), result.minLossLr());
        out.printf("lr-find: suggested ich.train.max-lr=%.2g; chart %s%n", result.suggestedLr(), chart);
        return result;
    }
}
