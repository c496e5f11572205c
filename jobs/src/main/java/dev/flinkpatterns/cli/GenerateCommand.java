package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.generator.CsvEventGenerator;
import dev.flinkpatterns.generator.LineServer;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Test data for the patterns: csv files or a socket server.",
        subcommands = {GenerateCommand.Csv.class, GenerateCommand.Socket.class})
class GenerateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("choose what to generate: csv or socket");
    }

    @Command(name = "csv", mixinStandardHelpOptions = true,
            description = {"Write the tutorial's event_batch_N.csv files.",
                "The tutorial's CSV writer: event_batch_N.csv files (header timestamp,user_id,event), "
                        + "each written under a hidden name and renamed when complete. Numbering continues after "
                        + "the files already there; none is overwritten."})
    static final class Csv implements Callable<Integer> {

        @Option(names = "--out", paramLabel = "DIR", description = "Directory to write to. Default: ${DEFAULT-VALUE}.")
        String out = FileInputOptions.CSV_INPUT;

        @Mixin
        GeneratorOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CsvEventGenerator.Settings settings = options.settings(Path.of(out));
            var print = CliContext.of(spec).out();
            Thread worker = Thread.currentThread();
            CountDownLatch done = new CountDownLatch(1);
            // Ctrl+C: stop between files (a file being written is removed), then let the JVM exit.
            Thread stopper = new Thread(() -> {
                worker.interrupt();
                awaitQuietly(done);
            });
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                new CsvEventGenerator(settings).run((file, number, total) ->
                        print.println("wrote " + file + " (" + number + "/" + total + ")"));
                Runtime.getRuntime().removeShutdownHook(stopper);
                return 0;
            } catch (InterruptedException e) {
                return 130;
            } finally {
                done.countDown();
            }
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "socket", mixinStandardHelpOptions = true,
            description = {"Serve standard input to socket clients (instead of nc -lk).",
                "A text server in place of `nc -lk`: serves the lines typed on standard input (or piped "
                        + "into it) to every client that connects. Lines read before the first client connects are "
                        + "held for it. At the end of input (Ctrl+D, or the end of a pipe) the connections close."})
    static final class Socket implements Callable<Integer> {

        @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
        String host = "localhost";

        @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on. Default: ${DEFAULT-VALUE}.")
        int port = 9999;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (port < 0 || port > 65535) {
                throw new UsageException("--port must be between 0 and 65535, got " + port);
            }
            LineServer server;
            try {
                server = new LineServer(host, port, System.in);
            } catch (BindException e) {
                throw new UsageException("port " + port + " on " + host + " is already in use; choose another with --port");
            } catch (IOException e) {
                throw new UsageException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            }
            CliContext.of(spec).err().println("Serving standard input on " + host + ":" + server.port()
                    + " to every client (Ctrl+D ends the stream, Ctrl+C stops)");
            server.start().awaitFinished();
            return 0;
        }
    }
}
