package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.SocketTextSource;
import dev.flinkpatterns.patterns.socket.SocketWordCount;
import dev.flinkpatterns.run.PatternOutputs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "socket", aliases = "websocket", mixinStandardHelpOptions = true,
        description = {"Word count over lines from a TCP socket (complete mode).",
                "Reads lines from a TCP server (Spark's socket source) and prints word counts as "
                        + "complete-mode tables. Start a server first: ./patterns generate socket --port 9999 The "
                        + "job ends when the server closes the connection."})
class SocketCommand extends PatternCommand {

    @Option(names = "--host", paramLabel = "HOST", description = "Server to read from. Default: ${DEFAULT-VALUE}.")
    String host = "localhost";

    @Option(names = "--port", paramLabel = "PORT", description = "Its port. Default: ${DEFAULT-VALUE}.")
    int port = 9999;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql: the same rows from the DataStream API or from one SQL query. "
                    + "Default: datastream.")
    Api api = Api.DATASTREAM;

    @Override
    String patternName() {
        return "socket";
    }

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.AGGREGATION_WITHOUT_WATERMARK;
    }

    @Override
    void validate() {
        if (port < 1 || port > 65535) {
            throw new UsageException("--port must be between 1 and 65535, got " + port);
        }
        if (streaming.trigger.isBounded()) {
            throw new UsageException("--trigger " + streaming.trigger
                    + " needs a source that knows what exists now; a socket cannot replay (use files or Kafka)");
        }
        // Fail now, in one line, rather than as a job that restarts against a closed port.
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(host, port), 3_000);
        } catch (IOException e) {
            throw new UsageException("cannot connect to " + host + ":" + port + " (" + e.getMessage()
                    + "); start a server first: ./patterns generate socket --port " + port);
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        var lines = env.fromSource(new SocketTextSource(host, port), WatermarkStrategy.noWatermarks(), "socket " + host + ":" + port)
                .setParallelism(1)
                .uid("socket");
        return PatternOutputs.withoutDeadLetters(switch (api) {
            case DATASTREAM -> SocketWordCount.wordCounts(lines, mode, trigger);
            case SQL -> SocketWordCount.wordCountsSql(lines, mode, trigger);
        });
    }
}
