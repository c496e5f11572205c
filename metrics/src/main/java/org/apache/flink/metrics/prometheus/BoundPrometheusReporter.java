package org.apache.flink.metrics.prometheus;

import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.util.PortRange;

/**
 * Flink's {@link PrometheusReporter} (the same metrics, the same text format on /metrics, the first free port of a
 * range) listening on one address instead of every interface. In Flink's package because the reporter's registry
 * is package-private there.
 */
public final class BoundPrometheusReporter extends AbstractPrometheusReporter {

    private final HTTPServer server;

    public BoundPrometheusReporter(String host, PortRange ports) {
        Iterator<Integer> candidates = ports.getPortsIterator();
        HTTPServer started = null;
        while (started == null && candidates.hasNext()) {
            int port = candidates.next();
            try {
                started = new HTTPServer(new InetSocketAddress(host, port), registry, true);
                // Worded as Flink's reporter logs it (docs grep for "PrometheusReporter HTTP server on port N").
                log.info("Started PrometheusReporter HTTP server on port {} of {}.", port, host);
            } catch (IOException e) {
                log.debug("Could not start PrometheusReporter HTTP server on port {} of {}.", port, host, e);
            }
        }
        if (started == null) {
            throw new RuntimeException("Could not start PrometheusReporter HTTP server on any port of " + ports + " of "
                    + host);
        }
        server = started;
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }
}
