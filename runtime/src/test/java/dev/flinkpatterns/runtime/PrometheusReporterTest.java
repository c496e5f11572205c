package dev.flinkpatterns.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import dev.flinkpatterns.testing.Await;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.cli.PatternsCli;
import dev.flinkpatterns.run.ExecutionRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import dev.flinkpatterns.metrics.LoopbackPrometheusReporterFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/config.yaml's Prometheus reporter on a local run: the project's custom counters (rows read, dead letters,
 * late rows) of a running job are on its /metrics endpoint with their exact values.
 */
class PrometheusReporterTest {

    private static final Path CONF = Path.of(System.getProperty("patterns.conf.dir", "../conf"));
    private static final String REPORTER = "metrics.reporter.prom.";
    private static final String METRIC = "flink_taskmanager_job_task_operator_";

    @TempDir
    Path tmp;

    @Test
    void configYamlConfiguresThePrometheusReporterOnAPortRange() {
        Configuration conf = new EmbeddedRuntime(CONF).configuration(new Configuration());
        assertThat(conf.toMap()).containsEntry(REPORTER + "factory.class", LoopbackPrometheusReporterFactory.class.getName())
                .containsEntry(REPORTER + "port", "9249-9259");
    }

    @Test
    @Timeout(180)
    void aRunningJobsCustomCountersAreOnTheMetricsEndpoint() throws Exception {
        int metricsPort = freePort();
        int webUiPort = freePort();
        Path input = tmp.resolve("input");
        // A watermark after every row: 15:04:20 moves it to 15:04:09.999, past the end of 15:03:10's window.
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event", "2025-07-15T15:03:21,1,login",
                "broken line", "2025-07-15T15:04:20,2,view", "2025-07-15T15:03:10,3,view", "yesterday,4,view");
        // The file's reporter, on a free port of this test's own instead of the range.
        EmbeddedRuntime embedded = new EmbeddedRuntime(CONF);
        ExecutionRuntime runtime = new ExecutionRuntime() {
            @Override
            public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
                jobSettings.set(ConfigOptions.key(REPORTER + "port").stringType().noDefaultValue(), String.valueOf(metricsPort));
                return embedded.environment(jobSettings, out);
            }

            @Override
            public boolean isEmbedded() {
                return true;
            }
        };
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> PatternsCli.run(new String[] {"window-agg",
                "--input", input.toString(), "--window", "1m", "--watermark", "10s", "--watermark-every-event", "--sink", "noop", "--web-ui-port", String.valueOf(webUiPort),
                "--checkpoint-dir", tmp.resolve("checkpoints").toString(), "--output", tmp.resolve("out").toString(),
                "--progress-interval", "0s"}, runtime, discard, discard));
        try {
            AtomicReference<String> last = new AtomicReference<>("");
            String metrics = Await.value(() -> "the custom metrics; so far:\n" + last.get(), Duration.ofSeconds(90), () -> {
                assertThat(run).isNotDone();
                String scraped = scrape(metricsPort);
                last.set(scraped);
                return Optional.of(scraped).filter(m -> sum(m, "numRecordsRead") == 5 && sum(m, "deadLetterRecords") == 2
                        && sum(m, "numLateRowsDropped") == 1);
            });
            assertThat(metrics).contains("# TYPE " + METRIC + "deadLetterRecords gauge");
        } finally {
            PatternsCli.run(new String[] {"stop", "window-agg", "--rest", "http://localhost:" + webUiPort}, runtime, discard, discard);
            run.get(60, TimeUnit.SECONDS);
        }
    }

    /** A counter summed over the subtasks: the lines {@code flink_..._<name>{labels} value}. */
    private static long sum(String metrics, String name) {
        return Math.round(metrics.lines().filter(line -> line.startsWith(METRIC + name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
    }

    private static String scrape(int port) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            return ""; // not listening yet
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            return free.getLocalPort();
        }
    }
}
