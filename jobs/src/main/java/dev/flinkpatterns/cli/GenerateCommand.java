package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.generator.EventCsvRows;
import dev.flinkpatterns.generator.LineServer;
import dev.flinkpatterns.generator.RowFormat;
import dev.flinkpatterns.generator.SensorJsonRows;
import dev.flinkpatterns.generator.StatusJsonRows;
import dev.flinkpatterns.generator.TransactionCsvRows;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.run.CommandScope;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Test data for the patterns: event, sensor, transaction, join and clickstream files, static "
                + "tables, a socket server, or a Kafka topic.",
        subcommands = {GenerateCommand.Csv.class, GenerateCommand.Sensors.class, GenerateCommand.Transactions.class,
                GenerateClicksCommand.class, GenerateOrdersCommand.class, GenerateCatalogCommand.class,
                GenerateClickstreamCommand.class, GenerateUserDimCommand.class, GeneratePaimonOrdersCommand.class,
                GenerateCommand.Socket.class, GenerateCommand.ToKafka.class})
class GenerateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("choose what to generate: csv, sensors, transactions, clicks, orders, catalog, "
                + "clickstream, user-dim, paimon-orders, socket or kafka");
    }

    /**
     * What every batch file generator command shares: the {@link GeneratorOptions}, a line per file written, and
     * Ctrl+C, which stops between two batches (a file being written is removed) and exits with 130.
     */
    abstract static class BatchGeneratorCommand implements Callable<Integer> {

        @Mixin
        GeneratorOptions options;

        @Spec
        CommandSpec spec;

        /** The generator for the options given (a bad value is a {@link UsageException}). */
        abstract BatchFileGenerator generator();

        @Override
        public Integer call() throws Exception {
            BatchFileGenerator generator = generator();
            var print = CliContext.of(spec).out();
            Thread worker = Thread.currentThread();
            CountDownLatch done = new CountDownLatch(1);
            // Ctrl+C: stop between files (a file being written is removed), then let the JVM exit.
            Thread stopper = new Thread(() -> {
                worker.interrupt();
                awaitQuietly(done);
            });
            Runnable removeStopper = CommandScope.onStop(stopper);
            try {
                generator.run((file, number, total) -> print.println("wrote " + file + " (" + number + "/" + total + ")"));
                removeStopper.run();
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

    /** A generator of one stream's files, written to {@code --out}. */
    abstract static class FileGeneratorCommand extends BatchGeneratorCommand {

        @Option(names = "--out", paramLabel = "DIR", description = "Directory to write to. Default: ${DEFAULT-VALUE}.")
        String out;

        FileGeneratorCommand(String defaultOut) {
            this.out = defaultOut;
        }

        abstract RowFormat format();

        @Override
        final BatchFileGenerator generator() {
            return options.generator(Path.of(out), this::format);
        }
    }

    /** A file generator whose rows carry a {@code user_id} from 1..{@code --users}. */
    abstract static class UserFileGeneratorCommand extends FileGeneratorCommand {

        @Mixin
        UsersOption users;

        private final IntFunction<RowFormat> formatForUsers;

        UserFileGeneratorCommand(String defaultOut, IntFunction<RowFormat> formatForUsers) {
            super(defaultOut);
            this.formatForUsers = formatForUsers;
        }

        @Override
        final RowFormat format() {
            return formatForUsers.apply(users.users);
        }
    }

    @Command(name = "csv", mixinStandardHelpOptions = true,
            description = {"Write the tutorial's event_batch_N.csv files.",
                "The tutorial's CSV writer: event_batch_N.csv files (header timestamp,user_id,event), "
                        + "each written under a hidden name and renamed when complete. Numbering continues after "
                        + "the files already there; none is overwritten."})
    static final class Csv extends UserFileGeneratorCommand {

        Csv() {
            super(FileInputOptions.CSV_INPUT, EventCsvRows::new);
        }
    }

    @Command(name = "sensors", mixinStandardHelpOptions = true,
            description = {"Write sensor_batch_N.json files of sensor readings (JSON lines).",
                "One JSON object a line: sensor_id, device_id, location {building, floor}, timestamp, "
                        + "temperature (60.0 to 110.0), humidity (20.0 to 80.0), tags (0 to 3). Written and "
                        + "numbered as generate csv writes its files."})
    static final class Sensors extends FileGeneratorCommand {

        @Option(names = "--sensors", paramLabel = "N",
                description = "sensor_id is drawn from sensor-01..sensor-N. Default: ${DEFAULT-VALUE}.")
        int sensors = SensorJsonRows.DEFAULT_SENSORS;

        Sensors() {
            super(FileInputOptions.SENSOR_INPUT);
        }

        @Override
        RowFormat format() {
            return new SensorJsonRows(sensors);
        }
    }

    @Command(name = "transactions", mixinStandardHelpOptions = true,
            description = {"Write transaction_batch_N.csv files of purchases.",
                "Header event_time,transaction_id,user_id,category,region,amount; transaction_id counts "
                        + "from t-000001 across the files of a run. Written and numbered as generate csv writes "
                        + "its files."})
    static final class Transactions extends UserFileGeneratorCommand {

        Transactions() {
            super("data/input/transactions", TransactionCsvRows::new);
        }
    }

    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = {"Send generated rows to a Kafka topic, one record per row.",
                "The rows of generate csv, sensors or transactions (--kind), without the header, as record values "
                        + "(no key), in batches of --rows with --interval between them: the Kafka counterpart of the "
                        + "file generators, with the same --disorder, --late-fraction and --malformed-fraction."})
    static final class ToKafka implements Callable<Integer> {


        @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic to write to.")
        String topic;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "events (timestamp,user_id,event), sensors (JSON), transactions (CSV) or status (JSON for "
                        + "kafka-etl: timestamp, id, user_id, status, amount). Default: ${DEFAULT-VALUE}.")
        String kind = "events";

        @Mixin
        GeneratorOptions options;

        @Mixin
        UsersOption users;

        @Mixin
        KafkaConnectionOptions kafka;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (kafka.embedded()) {
                throw new UsageException("--kafka embedded would end with the generator; start a broker with ./patterns kafka start");
            }
            Supplier<RowFormat> format = switch (kind) {
                case "events" -> () -> new EventCsvRows(users.users);
                case "sensors" -> () -> new SensorJsonRows(SensorJsonRows.DEFAULT_SENSORS);
                case "transactions" -> () -> new TransactionCsvRows(users.users);
                case "status" -> () -> new StatusJsonRows(users.users);
                default -> throw new UsageException("--kind " + kind + " is not events, sensors, transactions or status");
            };
            Properties properties = kafka.clientProperties();
            properties.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            properties.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            properties.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            properties.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
            // One request in flight per broker: a partition the broker has not made yet (a topic just created) fails
            // the first batch; a second batch in flight would then reach the broker first with a sequence number
            // past 0, and the idempotent producer retries OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout.
            properties.setProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            var print = CliContext.of(spec).out();
            String header = format.get().header().orElse(null);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
                // The broker's default partitions and replication.
                Kafka.createTopicsIfMissing(properties, List.of(new NewTopic(topic, Optional.empty(), Optional.empty())));
                options.generator(Path.of("kafka-" + topic), format).runBatches((number, total, content) -> {
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    for (String row : content.split("\n")) {
                        if (!row.isEmpty() && !row.equals(header)) {
                            sent.add(producer.send(new ProducerRecord<>(topic, row)));
                        }
                    }
                    try {
                        producer.flush();
                        // flush() waits for every record but throws for none: a record that failed says so here.
                        for (Future<RecordMetadata> record : sent) {
                            record.get();
                        }
                    } catch (org.apache.kafka.common.KafkaException | InterruptedException e) {
                        throw new IOException(e);
                    } catch (ExecutionException e) {
                        throw new IOException("a row of batch " + number + " was not written to " + topic + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    print.println("sent " + sent.size() + " rows to " + topic + " (" + number + "/" + total + ")");
                });
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new UsageException("cannot write to Kafka at " + kafka.bootstrapServers() + " ("
                        + e.getClass().getSimpleName() + "); start one with ./patterns kafka start");
            }
            return 0;
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
                server = new LineServer(host, port, CommandScope.input());
            } catch (BindException e) {
                throw new UsageException("port " + port + " on " + host + " is already in use; choose another with --port");
            } catch (IOException e) {
                throw new UsageException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            }
            CliContext.of(spec).err().println("Serving standard input on " + host + ":" + server.port()
                    + " to every client (Ctrl+D ends the stream, Ctrl+C stops)");
            // Ctrl+C: closes the server and its connections, as the JVM's exit would.
            Runnable removeStopper = CommandScope.onStop(new Thread(server::close, "patterns-socket-stop"));
            try {
                server.start().awaitFinished();
            } finally {
                removeStopper.run();
            }
            return 0;
        }
    }
}
