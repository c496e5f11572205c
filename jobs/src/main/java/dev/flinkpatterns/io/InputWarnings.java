package dev.flinkpatterns.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something wrong with the input that the job survives (a file that vanished, a file still being written, a
 * missing directory): one line on stderr, which is the console of a local run ({@code ./patterns}) and the
 * {@code .out} file of a cluster process, and the same line in the log.
 */
public final class InputWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(InputWarnings.class);

    private InputWarnings() {}

    public static void warn(String message) {
        LOG.warn(message);
        System.err.println("patterns: " + message);
    }
}
