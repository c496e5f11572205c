package dev.flinkpatterns.doccheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shared resources of pages shaped like the real ones, read from their scripts. */
class PageResourcesTest {

    private static PageResources of(String markdown) {
        return PageResources.of(DocPages.parse(Path.of("docs/page.md"), markdown.lines().toList()));
    }

    @Test
    void socketServersAndClientsTakeTheirPortOrTheDefaultOne() {
        assertThat(of("""
                ```bash
                mkdir -p data
                printf 'hello world\\n' | ./patterns generate socket --port 9997 > data/server.log 2>&1 &
                until grep -q '^Serving' data/server.log; do sleep 1; done; cat data/server.log
                ./patterns socket --port 9997
                ```
                <!-- check: exit=2 -->
                ```bash
                ./patterns socket --port 9996 --trigger once
                ```
                """).resources()).containsExactlyInAnyOrder("port 9997", "port 9996");
        assertThat(of("""
                <!-- check: background -->
                ```bash
                ./patterns generate socket
                ```
                ```bash
                ./patterns socket
                ```
                ```bash
                nc -lk 9998 & python3 -m http.server 8000 --bind 127.0.0.1
                ```
                """).resources()).containsExactlyInAnyOrder("port 9999", "port 9998", "port 8000");
    }

    @Test
    void kafkaTakesItsPortAndClientsWithoutBootstrapServersTakeTheDefaultBroker() {
        assertThat(of("""
                ```bash
                ./patterns kafka start --port 19411
                ./patterns kafka-read --subscribe events --starting-offsets earliest --trigger available-now \\
                  --bootstrap-servers localhost:19411
                ./patterns kafka status --port 19411
                ./patterns kafka stop
                ```
                """).resources()).containsExactly("port 19411");
        assertThat(of("""
                ```bash
                ./patterns kafka start
                ```
                ```bash
                ./patterns csv-log --input data/in --trigger available-now --sink kafka --output-topic out --kafka-key user_id
                ```
                """).resources()).containsExactly("port 9092");
        assertThat(of("""
                ```bash
                ./patterns generate kafka --topic input_topic --files 2 --rows 3 --interval 0s
                ```
                """).resources()).containsExactly("port 9092");
        // A broker inside the run, on a free port.
        assertThat(of("""
                ```bash
                ./patterns csv-log --input data/in --trigger available-now --kafka embedded --sink kafka --output-topic events --kafka-key id
                ```
                """).resources()).isEmpty();
    }

    @Test
    void theStandaloneClusterIsOneResourceAndTheLanesWebUiPortIsNone() {
        PageResources cluster = of("""
                ```bash
                ./patterns cluster start --taskmanagers 2
                ```
                ```bash
                ./patterns submit csv-log --input $PWD/data/input
                until curl -s localhost:${PATTERNS_WEB_UI_PORT:-8081}/jobs/overview | grep -q RUNNING; do sleep 1; done
                ```
                """);
        assertThat(cluster.resources()).containsExactlyInAnyOrder(PageResources.FLINK_CLUSTER, "port 6123");
        assertThat(cluster.exclusive()).isFalse();
    }

    @Test
    void postgresTmpPathsAndSkippedCommands() {
        assertThat(of("""
                <!-- check: background -->
                <!-- check: wait-for=^PostgreSQL jdbc -->
                ```bash
                java -cp "$(cat runtime/target/classpath.txt)" dev.flinkpatterns.services.EmbeddedPostgresServer 55432
                ```
                ```bash
                ./patterns window-agg --sink postgres --postgres jdbc:postgresql://localhost:55432/postgres --checkpoint-dir /tmp/my-ckpt/x
                ```
                <!-- check: skip=needs Docker -->
                ```bash
                docker compose up && curl localhost:9092
                ```
                """).resources()).containsExactlyInAnyOrder("port 55432", "path /tmp/my-ckpt");
        assertThat(of("""
                ```bash
                ./patterns csv-agg --input data/in --trigger available-now --sink postgres --postgres embedded
                ```
                """).resources()).isEmpty();
    }

    @Test
    void defaultWebUiAndPrometheusPortsAndKillingByNameMakeAPageExclusive() {
        assertThat(of("```bash\ncurl -s 127.0.0.1:9249/metrics | head -1\n```\n").exclusive()).isTrue();
        assertThat(of("```bash\ncurl -s http://localhost:8081/overview\n```\n").exclusive()).isTrue();
        assertThat(of("```bash\npkill -f TaskManagerRunner || true\n```\n").exclusive()).isTrue();
        assertThat(of("```bash\ncurl -s http://localhost:${PATTERNS_WEB_UI_PORT:-8081}/overview\n```\n").exclusive()).isFalse();
    }

    @Test
    void theEstimateAddsFixedWaitsToACostPerCommandAndLaunch() {
        assertThat(of("""
                <!-- check: stop-after=45 -->
                ```bash
                ./patterns
                ```
                """).estimatedSeconds()).isEqualTo(1 + 6 + 45);
        assertThat(of("""
                ```bash
                timeout -s TERM 60 ./patterns demo --trigger 10s | grep Batch
                ```
                ```bash
                ./patterns generate csv --out data/x --files 6 --interval 4s --rows 5
                ```
                ```bash
                timeout -s INT 300 ./patterns csv-log > data/x.out 2>&1 &
                sleep 15
                ```
                """).estimatedSeconds()).isEqualTo((1 + 6 + 60) + (1 + 6 + 5 * 4) + (1 + 6 + 15));
    }
}
