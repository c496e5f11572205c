package dev.flinkpatterns.listen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --listener FILE}: each event appended to FILE as one JSON object on a line, written whole when it is told
 * ({@code {"event":"started",...}}, {@code "progress"}, {@code "terminated"}), so a reader following the file sees
 * complete lines.
 */
public final class JsonLinesQueryListener implements QueryListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public JsonLinesQueryListener(Path file) {
        this.file = file;
    }

    @Override
    public void onStarted(Started event) {
        ObjectNode line = line("started", event.id(), event.name(), event.timestamp());
        append(line);
    }

    @Override
    public void onProgress(Progress event) {
        ObjectNode line = line("progress", event.id(), event.name(), event.timestamp());
        line.put("numInputRows", event.numInputRows());
        if (event.watermark() != null) {
            line.put("watermark", event.watermark());
        }
        if (event.checkpointId() != null) {
            line.put("checkpointId", event.checkpointId());
            line.put("checkpointDurationMs", event.checkpointDurationMs());
        }
        line.put("stateSizeBytes", event.stateSizeBytes());
        line.put("numRowsDroppedByWatermark", event.numRowsDroppedByWatermark());
        line.put("deadLetters", event.deadLetters());
        append(line);
    }

    @Override
    public void onTerminated(Terminated event) {
        ObjectNode line = line("terminated", event.id(), event.name(), event.timestamp());
        line.put("reason", event.reason().jsonName());
        if (event.exception() != null) {
            line.put("exception", event.exception());
        }
        append(line);
    }

    private static ObjectNode line(String event, String id, String name, String timestamp) {
        ObjectNode line = JSON.createObjectNode();
        line.put("event", event);
        line.put("id", id);
        line.put("name", name);
        line.put("timestamp", timestamp);
        return line;
    }

    private synchronized void append(ObjectNode line) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    @Override
    public String toString() {
        return "--listener " + file;
    }
}
