package dev.flinkpatterns.doccheck;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code ```bash} block of a docs page: the command, the {@code ```text} block right after it (its expected output,
 * or null when the page shows none) and the {@code <!-- check: ... -->} annotations above it.
 */
public record DocCommand(Path page, int line, String script, List<String> expectedOutput, Checks checks) {

    /** How a block is run and compared; see {@link Checks#parse}. */
    public record Checks(int exitStatus, Duration timeout, Duration stopAfter, boolean background, String waitFor,
                         List<String> ignore, boolean unordered, String anyOutputReason, String skipReason) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

        public static Checks defaults() {
            return new Checks(0, DEFAULT_TIMEOUT, null, false, null, List.of(), false, null, null);
        }

        public boolean comparesOutput() {
            return anyOutputReason == null && !background;
        }
    }
}
