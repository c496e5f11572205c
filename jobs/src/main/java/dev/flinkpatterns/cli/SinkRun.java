package dev.flinkpatterns.cli;

import java.io.PrintStream;

/** What a sink holds for one run outside the job, such as a database it started; closed when the run ends. */
interface SinkRun extends AutoCloseable {

    SinkRun NONE = new SinkRun() {};

    /**
     * After a job that finished: reports what the sink wrote. Not after Ctrl+C: the JVM halts once its shutdown hooks
     * have stopped the job, and the embedded PostgreSQL stops in a hook of its own.
     */
    default void finished(PrintStream out) throws Exception {}

    @Override
    default void close() {}
}
