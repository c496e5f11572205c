package dev.flinkpatterns.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One look at a job through the REST API: its details, its graph of vertices (which read, which write last), and
 * the per-vertex figures the reports need. Metrics come from the JobManager's metric fetcher, which refreshes them
 * every {@code metrics.fetcher.update-interval} (10 s by default); accumulators and vertex I/O counts travel with
 * the TaskManagers' heartbeats.
 */
final class JobView {

    /** Spark's timestamps in a progress report: UTC with milliseconds. */
    private static final DateTimeFormatter SPARK_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A vertex of the job graph: a chain of operators running as one task. */
    record Vertex(String id, String name, int parallelism, boolean isSource, boolean isLast, long recordsWritten) {}

    private final FlinkRest rest;
    final String id;
    final String name;
    final String state;
    final long now;
    final long startTime;
    final long durationMs;
    final List<Vertex> vertices;

    private JobView(FlinkRest rest, String id, JsonNode details, JsonNode plan) {
        this.rest = rest;
        this.id = id;
        this.name = details.path("name").asText();
        this.state = details.path("state").asText();
        this.now = details.path("now").asLong(System.currentTimeMillis());
        this.startTime = details.path("start-time").asLong();
        this.durationMs = details.path("duration").asLong();
        Set<String> consumed = new HashSet<>();
        Set<String> sources = new HashSet<>();
        for (JsonNode node : plan.path("plan").path("nodes")) {
            if (node.path("inputs").isEmpty()) {
                sources.add(node.path("id").asText());
            }
            for (JsonNode input : node.path("inputs")) {
                consumed.add(input.path("id").asText());
            }
        }
        List<Vertex> list = new ArrayList<>();
        for (JsonNode vertex : details.path("vertices")) {
            String vertexId = vertex.path("id").asText();
            list.add(new Vertex(vertexId, vertex.path("name").asText(), vertex.path("parallelism").asInt(),
                    sources.contains(vertexId), !consumed.contains(vertexId),
                    vertex.path("metrics").path("write-records").asLong()));
        }
        this.vertices = List.copyOf(list);
    }

    static JobView of(FlinkRest rest, String jobId) {
        return new JobView(rest, jobId, rest.get("/jobs/" + jobId), rest.get("/jobs/" + jobId + "/plan"));
    }

    boolean isActive() {
        return !JobSummary.TERMINAL.contains(state);
    }

    /** The job's accumulators (user counters: rows read, late rows, dead letters) as numbers. */
    Map<String, Object> accumulators() {
        Map<String, Object> values = new HashMap<>();
        for (JsonNode accumulator : rest.get("/jobs/" + id + "/accumulators").path("user-task-accumulators")) {
            try {
                values.put(accumulator.path("name").asText(), Long.parseLong(accumulator.path("value").asText()));
            } catch (NumberFormatException e) {
                values.put(accumulator.path("name").asText(), accumulator.path("value").asText());
            }
        }
        return values;
    }

    /** A metric summed over a vertex's subtasks; 0 until the metric fetcher has it. */
    double metricSum(Vertex vertex, String metric) {
        JsonNode values = rest.get("/jobs/" + id + "/vertices/" + vertex.id() + "/subtasks/metrics?get=" + metric + "&agg=sum");
        for (JsonNode value : values) {
            if (value.path("id").asText().equals(metric)) {
                return value.path("sum").asDouble();
            }
        }
        return 0;
    }

    /** The lowest input watermark of a vertex's subtasks; empty until every subtask has one. */
    OptionalLong inputWatermark(Vertex vertex) {
        JsonNode values = rest.get("/jobs/" + id + "/vertices/" + vertex.id() + "/watermarks");
        long lowest = Long.MAX_VALUE;
        int seen = 0;
        for (JsonNode value : values) {
            if (value.path("id").asText().endsWith(".currentInputWatermark")) {
                long watermark = value.path("value").asLong(Long.MIN_VALUE);
                if (watermark == Long.MIN_VALUE) {
                    return OptionalLong.empty();
                }
                lowest = Math.min(lowest, watermark);
                seen++;
            }
        }
        return seen == 0 ? OptionalLong.empty() : OptionalLong.of(lowest);
    }

    /** {@code /backpressure} of a vertex: its level and, per subtask, the share of time backpressured, busy, idle. */
    JsonNode backpressure(Vertex vertex) {
        return rest.get("/jobs/" + id + "/vertices/" + vertex.id() + "/backpressure");
    }

    /** {@code /checkpoints}; empty when the job has checkpointing off (the REST API answers 404 then). */
    JsonNode checkpoints() {
        try {
            return rest.get("/jobs/" + id + "/checkpoints");
        } catch (FlinkRest.RestError e) {
            return FlinkRest.JSON.createObjectNode();
        }
    }

    /** Per-vertex state of one checkpoint. */
    JsonNode checkpointDetails(long checkpointId) {
        try {
            return rest.get("/jobs/" + id + "/checkpoints/details/" + checkpointId);
        } catch (FlinkRest.RestError e) {
            // Older than the checkpoint history the JobManager keeps.
            return FlinkRest.JSON.createObjectNode();
        }
    }

    String vertexName(String vertexId) {
        return vertices.stream().filter(v -> v.id().equals(vertexId)).map(Vertex::name).findFirst().orElse(vertexId);
    }

    static String sparkTime(long epochMillis) {
        return SPARK_TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
