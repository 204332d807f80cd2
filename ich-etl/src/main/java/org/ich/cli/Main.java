package org.ich.cli;

import org.ich.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ServiceLoader;

/** Entry point of {@code submit/ich}: dispatches to the commands every module on the classpath registers. */
@Command(name = "ich", mixinStandardHelpOptions = true,
        description = "Intracranial hemorrhage detection on Spark: ETL, training, scoring and reports.")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        var commands = ServiceLoader.load(IchCommand.class).iterator();
        while (true) {
            try {
                if (!commands.hasNext()) break;
                cli.addSubcommand(commands.next());
            } catch (java.util.ServiceConfigurationError e) {
                // A module half-installed on a cluster should not take every other command down with it.
                System.err.println("ich: a command is unavailable: " + e.getMessage());
            }
        }
        return configure(cli).execute(args);
    }

    /** Runs one command class on its own, as a job's main class does under spark-submit. */
    public static int executeOne(IchCommand command, String... args) {
        return configure(new CommandLine(command)).execute(args);
    }

    private static CommandLine configure(CommandLine cli) {
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable root = ex;
            while (root.getCause() != null && !(root instanceof ConfigError) && !(root instanceof UserError)) root = root.getCause();
            if (root instanceof ConfigError || root instanceof UserError) {
                commandLine.getErr().println("ich " + commandLine.getCommandName() + ": " + root.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli;
    }
}
