package dev.flinkpatterns.cli;

import dev.flinkpatterns.run.ExecutionRuntime;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;

/** What every command needs from its caller: where it runs and where it prints. */
record CliContext(ExecutionRuntime runtime, PrintStream out, PrintStream err) {

    static CliContext of(CommandSpec spec) {
        return ((PatternsCli) spec.root().userObject()).context();
    }
}
