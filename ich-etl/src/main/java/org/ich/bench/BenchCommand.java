package org.ich.bench;

import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ServiceLoader;
import java.util.TreeMap;

/** {@code ich bench NAME}: runs a registered benchmark (etl, train, score, ...). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print NAME VALUE lines.")
public final class BenchCommand implements IchCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "which benchmark: etl, train, score")
    String name;

    @Mixin
    ConfOptions conf;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new BenchCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        var all = new TreeMap<String, Benchmark>();
        ServiceLoader.load(Benchmark.class).forEach(b -> all.put(b.name(), b));
        Benchmark b = all.get(name);
        if (b == null) throw new UserError("no benchmark named " + name + "; available: " + all.keySet());
        b.run(conf.skipLeading(1).settings(), System.out);
        return 0;
    }
}
