package dev.flinkpatterns.cli;

import java.io.PrintStream;
import org.slf4j.LoggerFactory;

/** What a sink holds for one run outside the job, such as a database it started; closed when the run ends. */
interface SinkRun extends AutoCloseable {

    SinkRun NONE = new SinkRun() {};

    /** After a job that finished: reports what the sink wrote. */
    default void finished(PrintStream out) throws Exception {}

    /**
     * After Ctrl+C: the same report, unless what it reads is gone already (the embedded PostgreSQL stops with the
     * JVM, in a shutdown hook of its own).
     */
    default void stopped(PrintStream out) {
        try {
            finished(out);
        } catch (Exception e) {
            LoggerFactory.getLogger(SinkRun.class).info("No report after the stop: {}", e.toString());
        }
    }

    @Override
    default void close() {}
}
