package dev.flinkpatterns.metrics;

import java.util.Properties;
import org.apache.flink.metrics.prometheus.BoundPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * conf/config.yaml's Prometheus reporter: Flink's (whose factory has no host option and listens on every
 * interface) on the loopback interface, like the web UI and RPC. Options, as Flink's: {@code port} (a port or a
 * range, the first free one is taken; default 9249); and {@code host} (default 127.0.0.1).
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_PORT = "9249";

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        String host = properties.getProperty("host", DEFAULT_HOST);
        String ports = properties.getProperty("port", DEFAULT_PORT);
        return new BoundPrometheusReporter(host, new PortRange(ports));
    }
}
