package dev.flinkpatterns.io;

import dev.flinkpatterns.table.SortKeys;

/**
 * A line of text and where it came from: a file and its 1-based line number, a socket and a line count, or a Kafka
 * partition and the record's offset.
 * {@code problem} is null for a line that can be parsed; otherwise the reader already knows it is unusable (not
 * UTF-8, too long, cut off, or line 0: a note about the whole file) and it becomes a dead letter with that reason.
 */
public record SourceLine(String source, long line, String text, String problem) {

    private static final String KAFKA_PREFIX = "kafka:";

    public SourceLine(String source, long line, String text) {
        this(source, line, text, null);
    }

    /** A line the reader refused; {@code text} is what it can show of it. */
    public static SourceLine refused(String source, long line, String text, String problem) {
        return new SourceLine(source, line, text, problem);
    }

    /** Not a line: something that happened to the whole file (it vanished, it grew), reported as a dead letter. */
    public static SourceLine fileNote(String source, String problem) {
        return new SourceLine(source, 0, "", problem);
    }

    /** A Kafka record's value: Spark's {@code kafka} source columns, from {@code partition} of {@code topic}. */
    public static SourceLine kafkaValue(String topic, int partition, long offset, String value) {
        return new SourceLine(KAFKA_PREFIX + topic + "/" + partition, offset, value);
    }

    /** A Kafka record's value, not a line of a file: a record whatever it holds, even blank. */
    public boolean isMessage() {
        return source.startsWith(KAFKA_PREFIX);
    }

    public boolean isFileNote() {
        return line == 0 && problem != null;
    }

    /** Orders lines by source then line number, for stable append-mode batches. */
    public String orderKey() {
        return source + '\u0000' + SortKeys.zeroPadded(line, 12);
    }
}
