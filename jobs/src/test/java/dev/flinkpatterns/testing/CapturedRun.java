package dev.flinkpatterns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.cli.PatternsCli;
import dev.flinkpatterns.run.ExecutionRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the CLI in this JVM and captures what it prints. The console sink prints from task threads to
 * {@code System.out}, so standard output is redirected for the run (tests in a class run one at a time). The
 * periodic progress lines (on stderr, one per interval: their number depends on how long a run takes) are kept
 * apart from {@code err}.
 */
public record CapturedRun(int exitCode, String out, String err, List<String> progress) {

    public static CapturedRun of(ExecutionRuntime runtime, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(capturedOut);
        try {
            int exitCode = PatternsCli.run(args, runtime, capturedOut, capturedErr);
            String errText = err.toString(StandardCharsets.UTF_8);
            List<String> progress = errText.lines().filter(CapturedRun::isProgress).toList();
            String otherErr = errText.lines().filter(line -> !isProgress(line)).map(line -> line + "\n")
                    .collect(Collectors.joining());
            return new CapturedRun(exitCode, out.toString(StandardCharsets.UTF_8), otherErr, progress);
        } finally {
            System.setOut(originalOut);
        }
    }

    /** A run that ended well: exit code 0, nothing on stderr, exactly {@code expectedOut} on stdout. */
    public void assertPrinted(String expectedOut) {
        assertThat(err).isEmpty();
        assertThat(exitCode).isZero();
        assertThat(out).isEqualTo(expectedOut);
    }

    /** How the console sink prints batch {@code id} with {@code table} (its lines, from the first +---), in a run's out. */
    public static String batch(int id, String table) {
        return "-------------------------------------------\nBatch: " + id
                + "\n-------------------------------------------\n" + table + "\n";
    }

    /** A refused invocation: exit code 2, one line on stderr, nothing on stdout. */
    public void assertOneLineError(String expectedLine) {
        assertThat(exitCode).isEqualTo(2);
        assertThat(err).isEqualTo(expectedLine + "\n");
        assertThat(out).isEmpty();
    }

    public static boolean isProgress(String line) {
        return line.startsWith("progress: ");
    }

    /** On the environment {@code flink run} would give: in tests, the MiniCluster of the test class. */
    public static CapturedRun onContext(String... args) {
        return of(ExecutionRuntime.CONTEXT, args);
    }
}
