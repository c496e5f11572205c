package dev.flinkpatterns.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Spark's {@code query.status} for a Flink job: what it is doing now. Spark's {@code isTriggerActive} (a batch is
 * running) becomes {@code isProcessing}: some task was busy lately.
 */
public final class StatusReport {

    private StatusReport() {}

    public static ObjectNode of(FlinkRest rest, String jobId) {
        JobView job = JobView.of(rest, jobId);
        ObjectNode json = FlinkRest.JSON.createObjectNode();
        json.put("id", job.id);
        json.put("name", job.name);
        json.put("state", job.state);
        boolean running = job.state.equals("RUNNING");
        // Rows left the sources within the last minute (Flink's meter).
        boolean dataAvailable = running && job.vertices.stream().filter(JobView.Vertex::isSource)
                .mapToDouble(vertex -> job.metricSum(vertex, "numRecordsOutPerSecond")).sum() > 0;
        boolean processing = running && ProgressReport.backpressure(job).findValues("busyRatio").stream()
                .anyMatch(busy -> busy.asDouble() > 0);
        json.put("message", !running ? "Job is " + job.state
                : processing ? "Processing new data" : "Waiting for data to arrive");
        json.put("isDataAvailable", dataAvailable);
        json.put("isProcessing", processing);
        json.set("lastCheckpoint", lastCheckpoint(job));
        return json;
    }

    /** The newest checkpoint, whatever became of it (a failed one says why), and the counts so far. */
    private static JsonNode lastCheckpoint(JobView job) {
        JsonNode checkpoints = job.checkpoints();
        JsonNode newest = checkpoints.path("history").path(0);
        if (!newest.isObject()) {
            return FlinkRest.JSON.nullNode();
        }
        ObjectNode checkpoint = FlinkRest.JSON.createObjectNode();
        checkpoint.put("id", newest.path("id").asLong());
        checkpoint.put("status", newest.path("status").asText());
        checkpoint.put("triggeredAt", JobView.sparkTime(newest.path("trigger_timestamp").asLong()));
        checkpoint.put("durationMs", newest.path("end_to_end_duration").asLong());
        if (newest.hasNonNull("failure_message")) {
            checkpoint.put("failure", newest.path("failure_message").asText());
        }
        JsonNode counts = checkpoints.path("counts");
        checkpoint.put("completed", counts.path("completed").asLong());
        checkpoint.put("failed", counts.path("failed").asLong());
        return checkpoint;
    }
}
