package dev.courier.cli;

import dev.courier.config.SettingsException;
import dev.courier.engine.EngineException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code courier}: the root command, which only dispatches to its subcommands. */
@Command(name = "courier",
        mixinStandardHelpOptions = true,
        versionProvider = CourierCommand.Version.class,
        description = "Kafka-driven HTTP request processor: request events in, one result or dead letter out.",
        subcommands = {RunCommand.class, DemoCommand.class, DevCommand.class, TopicsCommand.class, ProduceCommand.class,
            ConsumeCommand.class, ReplayCommand.class, DemoTargetCommand.class, StatusCommand.class,
            CommandLine.HelpCommand.class},
        usageHelpAutoWidth = true)
public final class CourierCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace after the one-line reason.")
    boolean verbose;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command");
    }

    /** Runs {@code args} against {@code io} and returns the exit code; never throws, never exits. */
    public static int execute(Io io, String... args) {
        CommandLine commandLine = new CommandLine(new CourierCommand(), new IoFactory(io));
        commandLine.setHelpFactory(WholeWordHelp::new);
        if (!io.colour()) {
            commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        }
        commandLine.setOut(new PrintWriter(io.out(), true));
        commandLine.setErr(new PrintWriter(io.err(), true));
        commandLine.setParameterExceptionHandler(CourierCommand::usageError);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> failure(io, exception, failed));
        return commandLine.execute(args);
    }

    private static int usageError(ParameterException exception, String[] args) {
        CommandLine failed = exception.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println(failed.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.USAGE;
    }

    private static int failure(Io io, Exception exception, CommandLine failed) {
        String reason = exception instanceof CommandFailedException || exception instanceof EngineException
                || exception instanceof SettingsException
                ? exception.getMessage()
                : "unexpected " + exception.getClass().getSimpleName() + ": " + exception.getMessage();
        io.err().println(failed.getCommandSpec().qualifiedName() + ": " + reason);
        CourierCommand root = failed.getCommandSpec().root().commandLine().getCommand();
        if (root.verbose) {
            exception.printStackTrace(io.err());
        }
        return ExitCodes.FAILED;
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = CourierCommand.class.getPackage().getImplementationVersion();
            return new String[] {"courier " + (version == null ? "development" : version)};
        }
    }
}
