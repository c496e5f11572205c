package dev.flinkpatterns.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A record as read from Kafka, Spark's Kafka source columns: key and value (UTF-8 text; null when absent), topic,
 * partition, offset and the record's timestamp.
 */
public record KafkaRecord(String key, String value, String topic, int partition, long offset, long timestamp) {

    /** Marks a value that was not UTF-8: the original bytes follow in Base64, so a dead letter loses nothing. */
    public static final String BASE64_PREFIX = "base64:";

    /** Bytes as text: UTF-8 when they are valid UTF-8, else {@value #BASE64_PREFIX} and the bytes in Base64. */
    public static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return BASE64_PREFIX + Base64.getEncoder().encodeToString(bytes);
        }
    }

    /** Every record's value as a line with its position, for the parsers and dead letters every source shares. */
    public static DataStream<SourceLine> lines(DataStream<KafkaRecord> records) {
        return lines(records, null);
    }

    /** As above, for one of several inputs of a job: {@code input} (or null) prefixes the uid. */
    public static DataStream<SourceLine> lines(DataStream<KafkaRecord> records, String input) {
        return records.map(KafkaRecord::asLine)
                .returns(TypeInformation.of(SourceLine.class))
                .setParallelism(records.getParallelism())
                .name("value as text")
                .uid(input == null ? "kafka-values" : input + "-kafka-values");
    }

    /** The value as a line with its position, for the parsers and dead letters every source shares. */
    public SourceLine asLine() {
        return SourceLine.kafkaValue(topic, partition, offset, value == null ? "" : value);
    }
}
