package org.ich.train.registry;

import org.ich.cli.ConfOptions;
import org.ich.cli.IchCommand;
import org.ich.cli.Main;
import org.ich.cli.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;

/** {@code ich models}: the registry's versions, newest first, with the champion marked. No Spark needed. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model versions under ich.registry.root (newest first), mark the champion and give each"
                + " version's model card (<version>/model-card/index.html, written by `ich model-card`) when it has one.")
public final class ModelsCommand implements IchCommand {
    public enum Format { table, json }

    @Mixin
    ConfOptions conf;

    @Option(names = "--format", description = "table, or json (one object per line); default ${DEFAULT-VALUE}")
    Format format = Format.table;

    public static void main(String[] args) {
        System.exit(Main.executeOne(new ModelsCommand(), args));
    }

    @Override
    public Integer call() {
        ModelRegistry registry = ModelRegistry.from(conf.settings());
        print(VersionListing.of(registry), registry, format, System.out);
        return 0;
    }

    static void print(List<VersionListing.Row> rows, ModelRegistry registry, Format format, PrintStream out) {
        if (format == Format.json) {
            rows.forEach(r -> out.println(RegistryJson.line(r)));
            return;
        }
        if (rows.isEmpty()) {
            out.println("no model versions under " + registry.root());
            return;
        }
        TextTable.print(VersionListing.HEADER, rows.stream().map(VersionListing::cells).toList(), out);
        // In full on lines of their own: a table cell would cut them.
        rows.stream().filter(r -> r.modelCard() != null).forEach(r -> out.println("model card of " + r.id() + ": " + r.modelCard()));
        out.println(registry.championPointer()
                .map(p -> "champion: " + p.version() + " (" + p.metric() + " " + PromotionRule.fmt(p.value()) + ", promoted " + p.promotedAt() + ")")
                .orElse("no champion yet"));
    }
}
