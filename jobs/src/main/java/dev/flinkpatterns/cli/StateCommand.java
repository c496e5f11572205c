package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.state.StateShow;
import dev.flinkpatterns.table.ConsoleTable;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "state", mixinStandardHelpOptions = true,
        description = "The keyed state of a stopped run, read from its checkpoint or savepoint.",
        subcommands = {StateCommand.Show.class})
class StateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("choose a state command: show");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Spark's spark.read.format(\"statestore\"): prints the keyed state of a pattern's operator as "
                    + "a table, read from a retained checkpoint (data/checkpoints/<pattern>/<job-id>/chk-N) or a "
                    + "savepoint (./patterns stop <job> --savepoint=DIR) with Flink's State Processor API.",
                    "Without --operator: the operators of the checkpoint it can read (dedup's drop-duplicates, "
                            + "user-sessions' user-sessions, window-agg's windows)."})
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint or savepoint: its directory or its _metadata file.")
        String checkpoint;

        @Option(names = "--operator", paramLabel = "UID", description = "The operator whose state to print, by uid.")
        String operator;

        @Option(names = "--key", paramLabel = "K",
                description = "Only this key, as printed: 1,login for a dedup key of user_id,event; 7 for user 7; "
                        + "view for window-agg's event.")
        String key;

        @Option(names = "--web-ui-port", paramLabel = "PORT", defaultValue = "${env:PATTERNS_WEB_UI_PORT:-8081}",
                description = "Port of the Flink web UI of the local job that reads the state (ignored under flink run). "
                        + "Default: ${DEFAULT-VALUE} (environment variable PATTERNS_WEB_UI_PORT).")
        int webUiPort;

        @Override
        public Integer call() throws Exception {
            CliContext context = CliContext.of(spec);
            if (key != null && operator == null) {
                throw new UsageException("--key applies only with --operator");
            }
            StateShow state = StateShow.load(StateRecovery.existingSavepoint(checkpoint, checkpoint));
            if (operator == null) {
                List<List<String>> operators = state.readableOperators().stream().map(StateShow.Operator::describe)
                        .toList();
                context.out().print(ConsoleTable.show(StateShow.OPERATOR_COLUMNS, operators, Integer.MAX_VALUE, 0));
                return 0;
            }
            StateShow.Operator chosen = state.operator(operator);
            Configuration settings = new Configuration();
            settings.set(PipelineOptions.NAME, "state show " + chosen.uid());
            // The patterns' keyed state is in RocksDB (conf/config.yaml); it reads savepoints of any format too.
            settings.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            // A bounded read: a failure is final.
            settings.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            if (context.runtime().isEmbedded()) {
                settings.set(RestOptions.PORT, webUiPort);
            }
            StreamExecutionEnvironment env = context.runtime().environment(settings, new PrintStream(OutputStream.nullOutputStream()));
            StateBackend backend = StateBackendLoader.loadStateBackendFromConfig(settings,
                    StateCommand.class.getClassLoader(), null);
            List<List<String>> rows = state.rows(env, backend, chosen, key);
            context.out().print(ConsoleTable.show(chosen.columns(), rows, Integer.MAX_VALUE, 0));
            return 0;
        }
    }
}
