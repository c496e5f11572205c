package dev.flinkpatterns.cli;

import dev.flinkpatterns.run.ExecutionRuntime;

/** Entry point of the jar that {@code flink run} takes: the CLI on the environment the cluster provides. */
public final class PatternsMain {

    private PatternsMain() {}

    public static void main(String[] args) {
        int exitCode = PatternsCli.run(args, ExecutionRuntime.CONTEXT, System.out, System.err);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
