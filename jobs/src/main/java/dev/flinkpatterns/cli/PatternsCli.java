package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.run.JobRunner;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one command line of the project: {@code ./patterns <pattern> [options]} locally, and the same words
 * after {@code flink run flink-streaming-patterns.jar} on a cluster. A bad invocation prints one line on
 * stderr and exits with 2; a failed job prints one line and exits with 1 (its stack trace goes to the log).
 */
@Command(name = "patterns", mixinStandardHelpOptions = true, version = "flink-streaming-patterns 0.1.0 (Flink 2.2)",
        description = {"The patterns of Spark Structured Streaming, as Apache Flink 2.2 jobs.",
                "With no arguments: the demo (generator + csv-agg with the Flink web UI)."},
        footer = {"", "Run './patterns <command> --help' for a command's options.",
                "Services of the ./patterns script: kafka start|stop|status, cluster start|stop|status, "
                        + "submit <pattern> [options] (flink run -d on that cluster), benchmark."})
public final class PatternsCli implements Callable<Integer> {

    public static final int USAGE_ERROR = 2;

    /** The subcommands, in the order of the help. */
    static final List<Class<?>> COMMANDS = List.of(CsvAggCommand.class, CsvLogCommand.class, SocketCommand.class,
            WindowAggCommand.class, DedupCommand.class, UserSessionsCommand.class, TransformWithStateCommand.class,
            IntervalJoinCommand.class,
            EnrichCommand.class, MedallionCommand.class, FanOutCommand.class, SensorAlertsCommand.class, SqlCommand.class,
            GenerateCommand.class, KafkaReadCommand.class, KafkaEtlCommand.class, DemoCommand.class, JobsCommand.class,
            StatusCommand.class, ProgressCommand.class, StopCommand.class, AwaitCommand.class, SchemaCommand.class,
            StateCommand.class, TableCommand.class, K8sCommand.class,
            CommandLine.HelpCommand.class);
    private static final Logger LOG = LoggerFactory.getLogger(PatternsCli.class);

    private final CliContext context;

    private PatternsCli(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    @Override
    public Integer call() {
        throw new IllegalStateException("unreachable: no arguments run the demo");
    }

    /** Parses and runs a command line; returns the process exit code. */
    public static int run(String[] args, ExecutionRuntime runtime, PrintStream out, PrintStream err) {
        // Only the command that runs is built: picocli's model of all of them costs a few hundred ms at every start.
        int named = args.length > 1 && args[0].equals("help") ? 1 : 0;
        // null: every command (the top-level help and options, a bare 'help').
        String wanted = args.length == 0 ? "demo"
                : args[named].startsWith("-") || args[named].equals("help") ? null : args[named];
        if (wanted != null && COMMANDS.stream().noneMatch(command -> namesOf(command).contains(wanted))) {
            CommandLine all = commandLine(runtime, out, err, null);
            return usageError(err, all, unknownPattern(wanted, all));
        }
        CommandLine cli = commandLine(runtime, out, err, wanted);
        return cli.execute(args.length == 0 ? new String[] {"demo"} : args);
    }

    /**
     * Parses {@code <pattern> [options]} as {@code ./patterns <pattern>} would and makes the checks of the options alone
     * ({@link PatternCommand#checkOptions}), without running anything: the pattern's command, or empty after the one-line
     * error the pattern would print (on {@code context}'s stderr).
     */
    static Optional<PatternCommand> parsePattern(List<String> args, CliContext context) {
        String wanted = args.get(0);
        if (COMMANDS.stream().noneMatch(command -> namesOf(command).contains(wanted))) {
            CommandLine all = commandLine(context.runtime(), context.out(), context.err(), null);
            usageError(context.err(), all, unknownPattern(wanted, all));
            return Optional.empty();
        }
        CommandLine cli = commandLine(context.runtime(), context.out(), context.err(), wanted);
        CommandLine command = cli.getSubcommands().get(wanted);
        if (!(command.getCommand() instanceof PatternCommand pattern)) {
            usageError(context.err(), cli, "'" + wanted + "' is not a pattern");
            return Optional.empty();
        }
        try {
            cli.parseArgs(args.toArray(String[]::new));
            if (pattern.query() != null) { // sql knows its kind of query (and so its output modes) once it has planned it
                pattern.checkOptions();
            }
            return Optional.of(pattern);
        } catch (ParameterException e) {
            usageError(context.err(), e.getCommandLine(), describe(e));
        } catch (UsageException e) {
            usageError(context.err(), command, e.getMessage());
        }
        return Optional.empty();
    }

    /** The command line with every subcommand, or with only {@code wanted} (and {@code help}). */
    private static CommandLine commandLine(ExecutionRuntime runtime, PrintStream out, PrintStream err, String wanted) {
        CommandLine cli = new CommandLine(new PatternsCli(new CliContext(runtime, out, err)));
        for (Class<?> command : COMMANDS) {
            if (wanted == null || command == CommandLine.HelpCommand.class || namesOf(command).contains(wanted)) {
                cli.addSubcommand(command);
            }
        }
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        for (CommandLine command : cli.getSubcommands().values()) {
            if (command.getCommand() instanceof PatternCommand pattern) { // socket twice (websocket): fit is idempotent
                PatternHelp.fit(command, pattern);
            } else if (command.getCommand() instanceof K8sCommand) {
                K8sCommand.fit(command);
            }
        }
        cli.setParameterExceptionHandler((ex, ignored) -> usageError(err, ex.getCommandLine(), describe(ex)));
        cli.setExecutionExceptionHandler((ex, command, parseResult) -> {
            if (ex instanceof UsageException) {
                return usageError(err, command, ex.getMessage());
            }
            LOG.error("patterns failed", ex);
            err.println("patterns: " + oneLine(JobRunner.rootMessage(ex)));
            return 1;
        });
        return cli;
    }

    private static List<String> namesOf(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(annotation.aliases()));
        names.add(0, annotation.name());
        return names;
    }

    private static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched
                && ex.getCommandLine().getParent() == null
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return unknownPattern(unmatched.getUnmatched().get(0), ex.getCommandLine());
        }
        return ex.getMessage();
    }

    private static String unknownPattern(String name, CommandLine cli) {
        return "unknown pattern '" + name + "'; available: " + String.join(", ", cli.getSubcommands().keySet().stream()
                .filter(command -> !command.equals("help") && !command.equals("websocket")).toList());
    }

    private static int usageError(PrintStream err, CommandLine command, String message) {
        String name = command.getCommandSpec().qualifiedName(" ");
        err.println(name + ": " + oneLine(message) + " (see '" + name + " --help')");
        return USAGE_ERROR;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
