package org.ich.synth;

import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.config.CommonConfig;
import org.ich.config.Settings;
import org.ich.spark.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code ich synth}: writes a synthetic head-CT cohort as DICOM files plus an RSNA-format label CSV. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write synthetic head-CT studies (DICOM, with bleeds, quirks and fake PHI) and their RSNA-format labels.")
public final class SynthCommand implements IchCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--patients", paramLabel = "N", description = "number of patients (ich.synth.patients)")
    Integer patients;

    @Option(names = "--out", paramLabel = "URI", description = "folder for the DICOM files (ich.synth.out)")
    String out;

    @Option(names = "--seed", paramLabel = "S", description = "random seed; the same seed writes the same bytes (ich.synth.seed)")
    Long seed;

    @Option(names = "--labels", paramLabel = "URI", description = "label CSV to write, outside --out (ich.synth.labels)")
    String labels;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new SynthCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = conf.settings(optionOverrides());
        SynthConfig config = SynthConfig.from(settings);
        Storage storage = Storage.of(CommonConfig.from(settings));
        Cohort cohort = Cohort.plan(config);
        System.out.println("synth: " + config.patients() + " patients, " + cohort.totalSlices() + " slices, seed " + config.seed()
                + ", " + config.effectiveThreads() + " threads -> " + config.out());
        new CohortWriter(storage, line -> {
            System.out.println(line);
            System.out.flush();
        }).write(cohort);
        return 0;
    }

    /** The command's own options, as overrides that beat both --conf and trailing key=value pairs. */
    List<String> optionOverrides() {
        List<String> extra = new ArrayList<>();
        if (patients != null) extra.add(SynthConfig.P + "patients=" + patients);
        if (seed != null) extra.add(SynthConfig.P + "seed=" + seed);
        if (out != null) extra.add(ConfOptions.stringOverride(SynthConfig.P + "out", out));
        if (labels != null) extra.add(ConfOptions.stringOverride(SynthConfig.P + "labels", labels));
        return extra;
    }

}
