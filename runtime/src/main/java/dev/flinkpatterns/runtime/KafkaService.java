package dev.flinkpatterns.runtime;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.services.KafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./patterns kafka start | stop | status [--port N] [--data-dir DIR]}: a real Kafka broker (KRaft) as a
 * background process for local runs, from the Kafka jars on Maven Central. Its data stays in the data directory
 * across restarts; its pid is kept next to it; its log goes to {@code log/kafka.log}.
 */
public final class KafkaService {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_RUNNING = 3;

    private final Path dataDir;
    private final int port;
    private final Path logFile;
    private final PrintStream out;

    KafkaService(Path dataDir, int port, Path logFile, PrintStream out) {
        this.dataDir = dataDir;
        this.port = port;
        this.logFile = logFile;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dataDir = Path.of("data/kafka");
        int port = 9092;
        String command = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = i + 1 < args.length ? parsePort(args[++i]) : -1;
                case "--data-dir" -> dataDir = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "start", "stop", "status" -> command = command == null ? args[i] : "twice";
                default -> command = "unknown:" + args[i];
            }
        }
        if (command == null || command.startsWith("unknown:") || command.equals("twice") || port < 1 || dataDir == null) {
            err.println("patterns kafka: usage: ./patterns kafka start|stop|status [--port N] [--data-dir DIR]"
                    + (command != null && command.startsWith("unknown:") ? " (unknown '" + command.substring(8) + "')" : ""));
            return EXIT_USAGE;
        }
        Path logDir = Path.of(System.getProperty("patterns.log.dir", "log"));
        KafkaService service = new KafkaService(dataDir, port, logDir.resolve("kafka.log"), out);
        return switch (command) {
            case "start" -> service.start();
            case "stop" -> service.stop();
            default -> service.status();
        };
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private BackgroundProcess broker() {
        return new BackgroundProcess(dataDir.resolveSibling(dataDir.getFileName() + ".pid"));
    }

    int start() throws IOException, InterruptedException {
        Optional<ProcessHandle> running = broker().running();
        if (running.isPresent()) {
            out.println("Kafka broker already running (pid " + running.get().pid() + "): bootstrap servers localhost:" + port);
            return EXIT_OK;
        }
        if (listening()) {
            out.println("patterns kafka: port " + port + " is in use by another program; choose one with --port");
            return EXIT_USAGE;
        }
        Files.createDirectories(dataDir.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of(BackgroundProcess.java(),
                "-Xmx512m", "-Dlog4j.configurationFile=" + System.getProperty("log4j.configurationFile", ""),
                "-cp", System.getProperty("java.class.path"), KafkaBroker.class.getName(), dataDir.toString(),
                Integer.toString(port)));
        Process broker = broker().start(command, Map.of(), logFile);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!listening()) {
            if (!broker.isAlive()) {
                broker().forget();
                out.println("patterns kafka: the broker stopped during start-up; see " + DisplayPath.of(logFile));
                return 1;
            }
            if (System.nanoTime() > deadline) {
                out.println("patterns kafka: the broker did not listen on port " + port + " within 90 s; see " + DisplayPath.of(logFile));
                return 1;
            }
            broker.waitFor(200, TimeUnit.MILLISECONDS); // polls the port while the broker starts
        }
        out.println("Kafka broker up (pid " + broker.pid() + "): bootstrap servers localhost:" + port + ", data in "
                + DisplayPath.of(dataDir) + ", log in " + DisplayPath.of(logFile));
        return EXIT_OK;
    }

    int stop() throws IOException, InterruptedException {
        Optional<ProcessHandle> stopped = broker().stop();
        out.println(stopped.map(broker -> "Kafka broker stopped (pid " + broker.pid() + ")").orElse("Kafka broker not running"));
        return EXIT_OK;
    }

    int status() throws IOException {
        Optional<ProcessHandle> running = broker().running();
        // The port it was started with (its last argument), which need not be this call's --port.
        int brokerPort = running.flatMap(KafkaService::lastArgument)
                .filter(last -> last.matches("\\d{1,5}"))
                .map(Integer::parseInt)
                .orElse(port);
        if (running.isPresent() && listening(brokerPort)) {
            out.println("Kafka broker running (pid " + running.get().pid() + "): bootstrap servers localhost:" + brokerPort);
            return EXIT_OK;
        }
        out.println("Kafka broker not running (start it with ./patterns kafka start)");
        return EXIT_NOT_RUNNING;
    }

    /** From /proc: ProcessHandle.Info drops the arguments of a command line as long as a broker's classpath. */
    private static Optional<String> lastArgument(ProcessHandle process) {
        try {
            String[] arguments = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).split("\0");
            return arguments.length == 0 ? Optional.empty() : Optional.of(arguments[arguments.length - 1]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean listening() {
        return listening(port);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
