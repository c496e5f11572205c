package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code fan-out} from the command line: each route's rows in its own directory; bad routes refused in one line. */
class FanOutCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    @Test
    void theDefaultRoutesWriteEachEventKindToItsOwnFormat() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event",
                "2026-01-01T10:00:00,1,login",
                "2026-01-01T10:00:01,2,purchase",
                "2026-01-01T10:00:02,3,view",
                "2026-01-01T10:00:03,1,logout");
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("fan-out", "--input", input.toString(), "--trigger", "available-now",
                "--output", out.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Results: written to " + DisplayPath.of(out.resolve("purchases")) + "\n"
                + "Results: written to " + DisplayPath.of(out.resolve("views")) + "\n"
                + "Results: written to " + DisplayPath.of(out.resolve("sessions")) + "\n");
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("views")))
                .containsExactly("{\"timestamp\":\"2026-01-01T10:00:02.000Z\",\"user_id\":3,\"event\":\"view\"}");
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("sessions")))
                .containsExactly("2026-01-01T10:00:00.000Z,1,login", "2026-01-01T10:00:03.000Z,1,logout",
                        "timestamp,user_id,event"); // Spark's CSV timestamps; the header sorts last
        assertThat(visibleFileNames(out.resolve("purchases"))).singleElement().asString().endsWith(".parquet");
    }

    private static java.util.List<String> visibleFileNames(Path dir) throws Exception {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")).toList();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "a:parquet#--route 'a:parquet' is not NAME:FORMAT:FILTER (e.g. purchases:parquet:event=purchase)",
            "a:orc:*#--route a: format 'orc' is not parquet, json or csv",
            "A:csv:*#--route A: a route's name is lower-case letters, digits and _, starting with a letter (it names a directory and a SQL table)",
            "a:csv:kind=x#--route filter 'kind=x': no column kind; columns: timestamp, user_id, event",
            "a:csv:user_id=one#--route filter 'user_id=one': user_id is a number, not 'one'",
            "a:csv:timestamp=x#--route filter 'timestamp=x': timestamp is TIMESTAMP; filters compare text, whole-number or boolean columns",
            "a:csv:event#--route filter 'event' is not *, column=value[|value...] or column!=value[|value...]"})
    void aBadRouteIsRefusedInOneLine(String route, String message) throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event");
        CapturedRun.onContext("fan-out", "--input", input.toString(), "--route", route)
                .assertOneLineError("patterns fan-out: " + message + " (see 'patterns fan-out --help')");
    }

    @Test
    void twoRoutesWithOneNameOrASinkOptionAreRefused() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event");
        CapturedRun.onContext("fan-out", "--input", input.toString(), "--route", "a:csv:*", "--route", "a:json:*")
                .assertOneLineError("patterns fan-out: --route a: the name is taken; give each route its own"
                        + " (see 'patterns fan-out --help')");
        Path out = tmp.resolve("out");
        CapturedRun.onContext("fan-out", "--input", input.toString(), "--route", "a:csv:*", "--sink", "console",
                        "--output", out.toString())
                .assertOneLineError("patterns fan-out: Unknown options: '--sink', 'console' (see 'patterns fan-out --help')");
    }
}
