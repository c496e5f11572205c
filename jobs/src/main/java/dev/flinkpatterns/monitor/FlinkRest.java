package dev.flinkpatterns.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.core.UsageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The Flink REST API (the web UI's backend) of a local run or a cluster, over plain HTTP: no Flink client code, so
 * the monitoring commands run anywhere a JVM does. Every failure is a {@link MonitorException} with one line (a
 * malformed address: a {@link UsageException}).
 */
public final class FlinkRest {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String address;
    private final HttpClient http;

    /** {@code address}: {@code http://host:port}; a bare {@code host:port} means http. */
    public FlinkRest(String address) {
        String url = address.contains("://") ? address : "http://" + address;
        this.address = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!this.address.startsWith("http://") && !this.address.startsWith("https://")) {
            throw new UsageException("--rest " + address + " is not an http:// URL (example: http://localhost:8081)");
        }
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Pretty JSON, as Spark prints a progress report. */
    public static String pretty(JsonNode json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String address() {
        return address;
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), path);
    }

    public JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), path);
    }

    public JsonNode patch(String path) {
        return send(HttpRequest.newBuilder(uri(path)).method("PATCH", HttpRequest.BodyPublishers.noBody()), path);
    }

    private URI uri(String path) {
        try {
            URI uri = URI.create(address + path);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rest " + address + " is not a URL (example: http://localhost:8081)");
        }
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new MonitorException("the Flink REST API at " + address + " did not answer " + path + " within "
                    + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            // A connection dropped mid-request: the server went away (a local run exiting as its job ends).
            throw e.getCause() instanceof ConnectException ? unreachable()
                    : new Unreachable("the Flink REST API at " + address + " closed the connection (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonitorException("interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            JsonNode errors = body == null ? null : body.path("errors");
            String reason = errors != null && errors.size() > 0 ? firstLine(errors.get(0).asText()) : "no details";
            throw new RestError(response.statusCode(), "the Flink REST API at " + address + " answered " + path
                    + " with HTTP " + response.statusCode() + ": " + reason);
        }
        if (body == null) {
            throw new MonitorException(address + " is not a Flink REST API (" + path + " did not return JSON)");
        }
        return body;
    }

    private MonitorException unreachable() {
        return new Unreachable("no Flink REST API at " + address + ": start a pattern or ./patterns cluster start");
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        return end < 0 ? trimmed : trimmed.substring(0, end).strip();
    }

    /** Nothing listens at the address (any more: a local run's REST API ends with its job). */
    public static final class Unreachable extends MonitorException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** An HTTP error status from Flink (404: no such job or vertex, for example). */
    public static final class RestError extends MonitorException {
        private final int status;

        RestError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
