package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.FixedRuns.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clickstream JSON lines: fields, ids, sessions, the null and missing event_type shares, malformed lines. */
class ClickstreamJsonRowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** 10 files of 10 events, 10 minutes of event time a file (1 minute per event). */
    private List<String> lines(long seed, double malformedFraction) throws Exception {
        GeneratorSettings settings = new GeneratorSettings(tmp.resolve("clickstream"), 10, 10, Duration.ZERO, seed, START,
                malformedFraction).withTimePerFile(Duration.ofMinutes(10));
        return FixedRuns.lines(FixedRuns.run(settings, new ClickstreamJsonRows(ClickstreamJsonRows.DEFAULT_USERS)), false);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyLineIsAnEventWithItsFieldsInOrder() throws Exception {
        List<String> lines = lines(4, 0);

        assertThat(lines).hasSize(100);
        int nullTypes = 0;
        int missingTypes = 0;
        Set<String> types = new HashSet<>();
        Set<String> categories = new HashSet<>();
        Set<Integer> users = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode event = JSON.readTree(lines.get(i));
            List<String> names = fieldNames(event);
            if (!event.has("event_type")) {
                missingTypes++;
                assertThat(names).containsExactly("event_id", "user_id", "session_id", "page_url", "page_category",
                        "timestamp", "time_on_page");
            } else {
                assertThat(names).containsExactly("event_id", "user_id", "session_id", "event_type", "page_url",
                        "page_category", "timestamp", "time_on_page");
                if (event.get("event_type").isNull()) {
                    nullTypes++;
                } else {
                    types.add(event.get("event_type").asText());
                }
            }
            assertThat(event.get("event_id").asText()).isEqualTo(String.format("e-%06d", i + 1));
            int user = event.get("user_id").asInt();
            assertThat(event.get("user_id").isInt()).isTrue();
            assertThat(user).isBetween(1, 10);
            users.add(user);
            LocalDateTime timestamp = LocalDateTime.parse(event.get("timestamp").asText(), EventTimeline.TIMESTAMP_FORMAT);
            assertThat(timestamp).isEqualTo(START.plusMinutes(i));
            // START is 10:00: a session is the user's half hour
            String halfHour = timestamp.getMinute() < 30 ? "00" : "30";
            assertThat(event.get("session_id").asText())
                    .isEqualTo("s-" + user + "-20240115T" + String.format("%02d", timestamp.getHour()) + halfHour);
            String category = event.get("page_category").asText();
            categories.add(category);
            assertThat(event.get("page_url").asText()).matches(switch (category) {
                case "home" -> "/";
                case "checkout" -> "/checkout";
                default -> "/" + category + "/([1-9]|1[0-9]|20)";
            });
            assertThat(event.get("time_on_page").isDouble()).isTrue();
            assertThat(event.get("time_on_page").asText()).matches("\\d{1,3}\\.\\d");
            assertThat(event.get("time_on_page").asDouble()).isBetween(0.5, 300.0);
        }
        // seed 4: of 100 events, 10 have "event_type":null and 11 have none (silver keeps 79)
        assertThat(nullTypes).isEqualTo(10);
        assertThat(missingTypes).isEqualTo(11);
        assertThat(types).containsExactlyInAnyOrderElementsOf(ClickstreamJsonRows.EVENT_TYPES);
        assertThat(categories).containsExactlyInAnyOrderElementsOf(ClickstreamJsonRows.PAGE_CATEGORIES);
        assertThat(users).hasSize(10);
    }

    @Test
    void sameSeedSameLines() throws Exception {
        List<String> first = lines(8, 0.2);
        Files.walk(tmp).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());

        assertThat(lines(8, 0.2)).isEqualTo(first);
    }

    @Test
    void fullMalformedFractionWritesEveryKindAndNoGoodEvent() throws Exception {
        Set<String> kinds = new HashSet<>();
        for (String line : lines(4, 1.0)) {
            kinds.add(kindOf(line));
        }
        assertThat(kinds).containsExactlyInAnyOrder("truncated", "not json", "no timestamp", "bad timestamp",
                "wrong type");
    }

    private static String kindOf(String line) {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return line.startsWith("{") ? "truncated" : "not json";
        }
        if (!event.has("timestamp")) {
            return "no timestamp";
        }
        if (event.get("timestamp").asText().equals("yesterday")) {
            return "bad timestamp";
        }
        assertThat(event.get("time_on_page").asText()).as("malformed kind of %s", line).isEqualTo("long");
        return "wrong type";
    }

    @Test
    void atLeastOneUser() {
        assertThatThrownBy(() -> new ClickstreamJsonRows(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--users must be at least 1, got 0");
    }
}
