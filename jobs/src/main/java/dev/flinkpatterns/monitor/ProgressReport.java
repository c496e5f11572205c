package dev.flinkpatterns.monitor;

import dev.flinkpatterns.core.DisplayPath;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.Progress;
import dev.flinkpatterns.time.LateRows;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Spark's {@code query.lastProgress} for a Flink job: one JSON object with Spark's field names where Flink has the
 * same figure. A Flink job has no batches: the rates are over the time since the previous report (the first
 * report: since the job started), the checkpoint stands where Spark reports a batch's commit.
 */
public final class ProgressReport {

    /** What the next report's rates are measured against. */
    public record Sample(long rows, long atMillis) {}

    /** A report and the sample it was taken at. */
    public record Report(ObjectNode json, Sample sample, boolean jobEnded) {}

    private ProgressReport() {}

    /** A time as the reports write it (Spark's: UTC with milliseconds). */
    public static String sparkTime(long epochMillis) {
        return JobView.sparkTime(epochMillis);
    }

    /** The job's progress now; {@code previous} (null for the first report) is the previous report's sample. */
    public static Report of(FlinkRest rest, String jobId, Sample previous) {
        JobView job = JobView.of(rest, jobId);
        Map<String, Object> accumulators = job.accumulators();
        long rows = accumulators.containsKey(ParseOrDeadLetter.RECORDS_READ)
                ? Progress.total(accumulators, ParseOrDeadLetter.RECORDS_READ)
                // A job without the project's parser: what its sources emitted.
                : job.vertices.stream().filter(JobView.Vertex::isSource).mapToLong(JobView.Vertex::recordsWritten).sum();

        ObjectNode json = FlinkRest.JSON.createObjectNode();
        json.put("id", job.id);
        json.put("name", job.name);
        json.put("state", job.state);
        json.put("timestamp", JobView.sparkTime(job.now));
        json.put("numInputRows", rows);
        json.put("inputRowsPerSecond", perSecond(previous == null ? rows : rows - previous.rows(),
                previous == null ? job.durationMs : job.now - previous.atMillis()));
        json.put("processedRowsPerSecond", round(processedPerSecond(job)));
        json.set("checkpoint", latestCheckpoint(job));
        ObjectNode eventTime = json.putObject("eventTime");
        watermark(job).ifPresent(watermark -> eventTime.put("watermark",
                watermark == Long.MAX_VALUE ? "end of input" : JobView.sparkTime(watermark)));
        json.set("stateOperators", stateOperators(job, json.path("checkpoint").path("id").asLong(-1)));
        json.put("numRowsDroppedByWatermark", Progress.total(accumulators, LateRows.LATE_ROWS));
        json.put("deadLetters", Progress.total(accumulators, ParseOrDeadLetter.DEAD_LETTERS));
        json.set("backpressure", backpressure(job));
        return new Report(json, new Sample(rows, job.now), !job.isActive());
    }

    /**
     * Rows per second entering the job's last vertices (Flink's meter, over the last minute). A job that is one
     * chain of operators reads and writes in the same vertex: there, the rows its sources emit.
     */
    private static double processedPerSecond(JobView job) {
        double perSecond = 0;
        for (JobView.Vertex vertex : job.vertices) {
            if (vertex.isLast()) {
                perSecond += vertex.isSource() ? job.metricSum(vertex, "numRecordsOutPerSecond")
                        : job.metricSum(vertex, "numRecordsInPerSecond");
            }
        }
        return perSecond;
    }

    /** The event-time watermark of the job: the lowest input watermark of the vertices behind its sources. */
    static OptionalLong watermark(JobView job) {
        long lowest = Long.MAX_VALUE;
        boolean any = false;
        for (JobView.Vertex vertex : job.vertices) {
            if (!vertex.isSource()) {
                OptionalLong watermark = job.inputWatermark(vertex);
                if (watermark.isEmpty()) {
                    return OptionalLong.empty();
                }
                lowest = Math.min(lowest, watermark.getAsLong());
                any = true;
            }
        }
        return any ? OptionalLong.of(lowest) : OptionalLong.empty();
    }

    /** The latest completed checkpoint: id, duration, size; null before the first one. */
    static JsonNode latestCheckpoint(JobView job) {
        JsonNode completed = job.checkpoints().path("latest").path("completed");
        if (!completed.isObject()) {
            return FlinkRest.JSON.nullNode();
        }
        ObjectNode checkpoint = FlinkRest.JSON.createObjectNode();
        checkpoint.put("id", completed.path("id").asLong());
        checkpoint.put("isSavepoint", completed.path("is_savepoint").asBoolean());
        checkpoint.put("completedAt", JobView.sparkTime(completed.path("latest_ack_timestamp").asLong()));
        checkpoint.put("durationMs", completed.path("end_to_end_duration").asLong());
        checkpoint.put("checkpointedSizeBytes", completed.path("checkpointed_size").asLong());
        checkpoint.put("stateSizeBytes", completed.path("state_size").asLong());
        checkpoint.put("path", DisplayPath.of(completed.path("external_path").asText(null)));
        return checkpoint;
    }

    /** Spark's stateOperators: each vertex holding state, with its size in the given checkpoint. */
    private static ArrayNode stateOperators(JobView job, long checkpointId) {
        ArrayNode operators = FlinkRest.JSON.createArrayNode();
        if (checkpointId < 0) {
            return operators;
        }
        job.checkpointDetails(checkpointId).path("tasks").fields().forEachRemaining(task -> {
            long stateSize = task.getValue().path("state_size").asLong();
            if (stateSize > 0) {
                ObjectNode operator = operators.addObject();
                operator.put("operatorName", job.vertexName(task.getKey()));
                operator.put("stateSizeBytes", stateSize);
                operator.put("checkpointedSizeBytes", task.getValue().path("checkpointed_size").asLong());
            }
        });
        return operators;
    }

    /** Per vertex: Flink's backpressure level and the highest backpressured and busy ratios of its subtasks. */
    static ArrayNode backpressure(JobView job) {
        ArrayNode vertices = FlinkRest.JSON.createArrayNode();
        for (JobView.Vertex vertex : job.vertices) {
            JsonNode backpressure = job.backpressure(vertex);
            double backpressured = 0;
            double busy = 0;
            for (JsonNode subtask : backpressure.path("subtasks")) {
                backpressured = Math.max(backpressured, subtask.path("backPressuredRatio").asDouble(subtask.path("ratio").asDouble()));
                busy = Math.max(busy, subtask.path("busyRatio").asDouble());
            }
            ObjectNode entry = vertices.addObject();
            entry.put("operatorName", vertex.name());
            entry.put("level", backpressure.path("backpressureLevel").asText("unknown"));
            entry.put("backPressuredRatio", round(backpressured));
            entry.put("busyRatio", round(busy));
        }
        return vertices;
    }

    private static double perSecond(long rows, long millis) {
        return millis <= 0 ? 0 : round(rows * 1000.0 / millis);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
