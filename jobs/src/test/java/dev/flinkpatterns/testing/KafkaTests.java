package dev.flinkpatterns.testing;

import dev.flinkpatterns.services.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real Kafka broker (KRaft, in this JVM) for a test class, and what tests do with it. Register it as a static field. */
public final class KafkaTests implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("kafka-test");
        broker = KafkaBroker.start(dataDir, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (dataDir != null) {
            FileUtils.deleteDirectory(dataDir.toFile());
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    private Properties clientProperties() {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", bootstrapServers());
        return properties;
    }

    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes key-value records (a null key: none) and waits until the broker has them all. */
    public void produce(String topic, List<Map.Entry<String, String>> records) {
        produce(topic, null, records);
    }

    /** As above, every record with the timestamp {@code timestamp} (epoch milliseconds; null: the producer's time). */
    public void produce(String topic, Long timestamp, List<Map.Entry<String, String>> records) {
        Properties properties = clientProperties();
        properties.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            for (Map.Entry<String, String> record : records) {
                producer.send(new ProducerRecord<>(topic, null, timestamp, record.getKey(), record.getValue()));
            }
            producer.flush();
        }
    }

    /**
     * Every committed record of a topic, as a {@code read_committed} consumer sees it: reads until {@code expected}
     * records arrived (or the timeout), then a little longer so that an extra record (a duplicate) would show.
     */
    public List<ConsumerRecord<String, String>> readCommitted(String topic, int expected, Duration timeout) {
        Properties properties = clientProperties();
        properties.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
        properties.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            int emptyPollsAfterExpected = 0;
            while (System.nanoTime() < deadline && emptyPollsAfterExpected < 3) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                if (records.size() >= expected && records.size() == before) {
                    emptyPollsAfterExpected++;
                }
            }
        }
        return records;
    }

    /** Transactions still open whose id starts with the prefix: an exactly-once sink must leave none. */
    public List<String> openTransactions(String prefix) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            List<String> open = new ArrayList<>();
            for (TransactionListing listing : admin.listTransactions().all().get(30, TimeUnit.SECONDS)) {
                if (listing.transactionalId().startsWith(prefix) && listing.state() == TransactionState.ONGOING) {
                    open.add(listing.transactionalId());
                }
            }
            return open;
        }
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
