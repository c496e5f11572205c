package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./patterns <pattern> --help} lists only the options that apply to the pattern, in sections; an option of
 * another pattern or sink is refused as unknown. No job is started.
 */
class PatternHelpTest {

    private static final String ALL_SINKS = "Sink|Sink: console|Sink: kafka|Sink: postgres|Sink: paimon|Sink: foreach-batch|"
            + "Sink: memory|Sink: files";
    /** enrich's --postgres options are its input's: the postgres sink has no option of its own left. */
    private static final String SINKS_BUT_POSTGRES = "Sink|Sink: console|Sink: kafka|Sink: paimon|Sink: foreach-batch|"
            + "Sink: memory|Sink: files";
    private static final List<String> RUN = List.of("--trigger", "--output-mode", "--output", "--checkpoint-dir",
            "--checkpoint-interval", "--checkpoint-timeout", "--from-savepoint", "--resume-latest",
            "--allow-non-restored-state", "--parallelism", "--progress-interval", "--listener", "--web-ui-port", "--help", "--version");
    /** An option's line: its names from the third to the seventh column (descriptions are indented further). */
    private static final Pattern OPTION_LINE = Pattern.compile("^ {2,6}(?:-\\w, )?(--[a-z0-9-]+)");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "csv-agg;Input|Query|" + ALL_SINKS + "|Run",
        "csv-log;Input|Query|" + ALL_SINKS + "|Run",
        "socket;Input|Query|" + ALL_SINKS + "|Run",
        "demo;Input|" + ALL_SINKS + "|Run",
        "kafka-read;Input|Query|" + ALL_SINKS + "|Run",
        "kafka-etl;Input|Query|" + ALL_SINKS + "|Run",
        "sensor-alerts;Input|Event time|Query|" + ALL_SINKS + "|Run",
        "enrich;Input|Query|" + SINKS_BUT_POSTGRES + "|Run",
        "window-agg;Input|Event time|Query|" + ALL_SINKS + "|Run",
        "dedup;Input|Event time|Query|" + ALL_SINKS + "|Run",
        "user-sessions;Input|Event time|Query|" + ALL_SINKS + "|Run",
        "transform-with-state;Input|Event time|Query|" + ALL_SINKS + "|Run",
        "interval-join;Input|Event time|Query|" + ALL_SINKS + "|Run",
        "medallion;Input|Event time|Query|" + ALL_SINKS + "|Run",
        "fan-out;Input|Query|Run"})
    void eachPatternShowsItsSectionsAndEachOptionOnce(String pattern, String headings) {
        CapturedRun run = CapturedRun.onContext(pattern, "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: patterns " + pattern + " [OPTIONS]\n");
        Map<String, List<String>> sections = sections(run.out());
        assertThat(sections.keySet()).containsExactly(headings.split("\\|"));
        List<String> all = sections.values().stream().flatMap(List::stream).toList();
        assertThat(all).doesNotHaveDuplicates();
        assertThat(sections.get("Run")).containsExactlyElementsOf(RUN);
    }

    @Test
    void theSectionsHoldThePatternsOwnOptions() {
        Map<String, List<String>> socket = sections(CapturedRun.onContext("socket", "--help").out());
        assertThat(socket.get("Input")).containsExactly("--host", "--port");
        assertThat(socket.get("Query")).containsExactly("--api");
        assertThat(socket.get("Sink")).containsExactly("--sink", "--delivery", "--table");
        assertThat(socket.get("Sink: console")).containsExactly("--truncate", "--num-rows");
        assertThat(socket.get("Sink: kafka")).containsExactly("--output-topic", "--kafka-key", "--kafka-value",
                "--transaction-timeout", "--transactional-id-prefix", "--bootstrap-servers", "--kafka",
                "--kafka-properties");
        assertThat(socket.get("Sink: postgres")).containsExactly("--postgres", "--postgres-credentials");
        assertThat(socket.get("Sink: paimon")).containsExactly("--warehouse");
        assertThat(socket.get("Sink: foreach-batch")).containsExactly("--alert-when");
        assertThat(socket.get("Sink: memory")).containsExactly("--query-name", "--memory-query");
        assertThat(socket.get("Sink: files")).containsExactly("--partition-by");

        Map<String, List<String>> csvAgg = sections(CapturedRun.onContext("csv-agg", "--help").out());
        assertThat(csvAgg.get("Input")).containsExactly("--input", "--discovery-interval", "--max-files-per-trigger",
                "--max-line-length", "--format", "--schema", "--schema-file", "--rescued-data", "--header", "--delimiter",
                "--timestamp-format", "--date-format");
        assertThat(csvAgg.get("Query")).containsExactly("--group-by", "--api");
        assertThat(sections(CapturedRun.onContext("csv-log", "--help").out()).get("Query")).containsExactly("--api");

        Map<String, List<String>> dedup = sections(CapturedRun.onContext("dedup", "--help").out());
        assertThat(dedup.get("Input")).containsExactly("--input", "--discovery-interval", "--max-files-per-trigger",
                "--max-line-length", "--format", "--schema", "--schema-file", "--rescued-data", "--header", "--delimiter",
                "--timestamp-format", "--date-format");
        assertThat(dedup.get("Event time")).containsExactly("--watermark", "--idle-timeout", "--allowed-lateness",
                "--watermark-every-event", "--late-output", "--watermark-policy", "--event-time");
        // Spark's micro-batch watermark: only where a pattern honours it.
        assertThat(sections(CapturedRun.onContext("user-sessions", "--help").out()).get("Event time"))
                .contains("--watermark-policy");
        assertThat(sections(CapturedRun.onContext("transform-with-state", "--help").out()).get("Event time"))
                .contains("--watermark-policy");
        assertThat(sections(CapturedRun.onContext("interval-join", "--help").out()).get("Event time"))
                .contains("--watermark-policy");
        assertThat(sections(CapturedRun.onContext("medallion", "--help").out()).get("Event time"))
                .doesNotContain("--watermark-policy");
        assertThat(dedup.get("Query")).containsExactly("--key", "--api");

        // A Kafka source's connection is the input's, and so is how its values are read; the kafka sink writes to the
        // same broker.
        Map<String, List<String>> kafkaRead = sections(CapturedRun.onContext("kafka-read", "--help").out());
        assertThat(kafkaRead.get("Input")).containsExactly("--bootstrap-servers", "--kafka", "--kafka-properties",
                "--subscribe", "--subscribe-pattern", "--starting-offsets", "--group-id", "--fail-on-data-loss",
                "--max-rows-per-second", "--format", "--schema", "--schema-file", "--rescued-data", "--header",
                "--delimiter", "--timestamp-format", "--date-format");
        assertThat(kafkaRead.get("Query")).containsExactly("--api");
        assertThat(sections(CapturedRun.onContext("kafka-etl", "--help").out()).get("Query"))
                .containsExactlyInAnyOrder("--where", "--api");
        assertThat(kafkaRead.get("Sink: kafka")).containsExactly("--output-topic", "--kafka-key", "--kafka-value",
                "--transaction-timeout", "--transactional-id-prefix");

        Map<String, List<String>> windowAgg = sections(CapturedRun.onContext("window-agg", "--help").out());
        assertThat(windowAgg.get("Input")).contains("--input", "--subscribe", "--bootstrap-servers", "--source",
                "--rows-per-second");
        assertThat(windowAgg.get("Event time")).contains("--watermark-policy");
        assertThat(windowAgg.get("Query")).containsExactly("--window", "--slide", "--session-gap", "--group-by",
                "--value", "--distinct", "--agg", "--api");

        // enrich reads PostgreSQL itself (--api sql): its database is an input; the sink's table (--table) stays the sink's.
        Map<String, List<String>> enrich = sections(CapturedRun.onContext("enrich", "--help").out());
        assertThat(enrich.get("Input")).containsExactly("--postgres", "--postgres-credentials", "--input",
                "--discovery-interval", "--max-files-per-trigger", "--max-line-length", "--catalog",
                "--catalog-poll-interval", "--catalog-table", "--lookup-cache-ttl", "--format", "--schema", "--schema-file",
                "--rescued-data", "--header", "--delimiter", "--timestamp-format", "--date-format", "--catalog-format",
                "--catalog-schema");
        assertThat(enrich.get("Query")).containsExactly("--api", "--key", "--catalog-key");
        assertThat(enrich.get("Sink")).containsExactly("--sink", "--delivery", "--table");
        assertThat(enrich).doesNotContainKey("Sink: postgres");

        Map<String, List<String>> intervalJoin = sections(CapturedRun.onContext("interval-join", "--help").out());
        assertThat(intervalJoin.get("Input")).containsExactly("--dataset", "--left-input", "--right-input",
                "--max-files-per-trigger", "--left-format", "--left-schema", "--right-format", "--right-schema", "--header", "--delimiter",
                "--timestamp-format", "--date-format");
        assertThat(intervalJoin.get("Event time")).containsExactly("--left-watermark", "--right-watermark",
                "--idle-timeout", "--watermark-every-event", "--late-output", "--left-event-time", "--right-event-time",
                "--watermark-policy");

        Map<String, List<String>> fanOut = sections(CapturedRun.onContext("fan-out", "--help").out());
        assertThat(fanOut.get("Query")).containsExactly("--route", "--api");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "csv-agg|--watermark|1s",
        "csv-agg|--subscribe|events",
        "socket|--late-output|late",
        "socket|--input|data/input",
        "sensor-alerts|--group-by|event",
        "fan-out|--sink|console",
        "fan-out|--output-topic|events",
        "fan-out|--bootstrap-servers|localhost:9092",
        "fan-out|--table|events",
        "fan-out|--truncate|false",
        "fan-out|--partition-by|timestamp",
        "kafka-read|--input|data/input"})
    void anOptionOfAnotherPatternOrSinkIsUnknown(String pattern, String option, String value) {
        CapturedRun.onContext(pattern, option, value).assertOneLineError("patterns " + pattern + ": Unknown options: '"
                + option + "', '" + value + "' (see 'patterns " + pattern + " --help')");
    }

    @Test
    void anUnknownPatternIsAnErrorEvenWithHelpOrUnderHelp() {
        String available = "available: csv-agg, csv-log, socket, window-agg, dedup, user-sessions, "
                + "transform-with-state, interval-join, enrich, medallion, fan-out, sensor-alerts, sql, generate, kafka-read, kafka-etl, demo, jobs, status, "
                + "progress, stop, await, schema, state, table, k8s (see 'patterns --help')";
        CapturedRun.onContext("csv-magic", "--help").assertOneLineError("patterns: unknown pattern 'csv-magic'; " + available);
        CapturedRun.onContext("csv-magic", "-h").assertOneLineError("patterns: unknown pattern 'csv-magic'; " + available);
        CapturedRun.onContext("csv-magic").assertOneLineError("patterns: unknown pattern 'csv-magic'; " + available);
        CapturedRun.onContext("help", "csv-magic").assertOneLineError("patterns: unknown pattern 'csv-magic'; " + available);
    }

    /** The help's sections: each heading line (no indent) with the long names of the options under it. */
    private static Map<String, List<String>> sections(String help) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        boolean pastDescription = false;
        for (String line : help.split("\n")) {
            if (line.isEmpty()) {
                pastDescription = true;
                continue;
            }
            Matcher option = OPTION_LINE.matcher(line);
            if (pastDescription && !line.startsWith(" ")) {
                current = new ArrayList<>();
                sections.put(line, current);
            } else if (current != null && option.find()) {
                current.add(option.group(1));
            }
        }
        return sections;
    }
}
