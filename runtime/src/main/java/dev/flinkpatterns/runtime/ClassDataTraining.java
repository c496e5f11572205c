package dev.flinkpatterns.runtime;

import dev.flinkpatterns.cli.PatternsCli;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/**
 * The runs after which {@code ./patterns} writes its class-data archive ({@code -XX:ArchiveClassesAtExit}): a
 * DataStream pattern, a SQL pattern and Parquet and JSON file sinks on the samples of {@code docs/samples}, so that
 * the classes most commands load come from the archive. Runs in a scratch directory, on a free web UI port.
 * Usage: {@code ClassDataTraining <repository root>}.
 */
public final class ClassDataTraining {

    private static final String TAXI_SCHEMA =
            "pickup_at TIMESTAMP, dropoff_at TIMESTAMP, zone STRING, fare DECIMAL(10,2), passengers INT";
    private static final String THERMOSTAT_SCHEMA =
            "reading_time TIMESTAMP, thermostat STRING, room STRING, temp_c DECIMAL(6,2), battery DOUBLE";

    private ClassDataTraining() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        String taxi = root.resolve("docs/samples/taxi").toString();
        String thermostats = root.resolve("docs/samples/thermostats").toString();
        List<List<String>> runs = List.of(
                List.of("csv-agg", "--input", taxi, "--header", "false", "--schema", TAXI_SCHEMA,
                        "--timestamp-format", "dd/MM/yyyy HH:mm", "--group-by", "zone,passengers"),
                List.of("window-agg", "--api", "sql", "--input", taxi, "--header", "false", "--schema", TAXI_SCHEMA,
                        "--timestamp-format", "dd/MM/yyyy HH:mm", "--event-time", "pickup_at", "--window", "1h",
                        "--watermark", "10m", "--group-by", "zone"),
                List.of("fan-out", "--input", thermostats, "--delimiter", ";", "--schema", THERMOSTAT_SCHEMA,
                        "--timestamp-format", "dd.MM.yyyy HH:mm:ss", "--route", "heating:parquet:room=kitchen",
                        "--route", "others:json:room!=kitchen", "--output", "out/fan-out"));
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(discard);
        Path confDir = Path.of(System.getProperty("patterns.conf.dir", "conf"));
        int failed = 0;
        for (List<String> run : runs) {
            EmbeddedRuntime runtime = new EmbeddedRuntime(confDir);
            String[] command = concat(run, "--trigger", "available-now", "--web-ui-port", String.valueOf(freePort()),
                    "--checkpoint-dir", "checkpoints/" + run.get(0));
            if (PatternsCli.run(command, runtime, discard, System.err) != 0) {
                failed++;
            }
            runtime.removeWorkingDirectory();
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** A port free now: the training must not collide with a job the user runs on 8081 meanwhile. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String[] concat(List<String> run, String... more) {
        String[] all = run.toArray(new String[run.size() + more.length]);
        System.arraycopy(more, 0, all, run.size(), more.length);
        return all;
    }
}
