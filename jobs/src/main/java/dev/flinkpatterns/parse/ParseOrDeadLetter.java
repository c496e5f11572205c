package dev.flinkpatterns.parse;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.SourceLine;
import java.util.Optional;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses every line; a line that fails, or that its reader already refused (not UTF-8, too long, binary; or a
 * note about a file that vanished or changed), goes to the dead-letter side output with its position and reason,
 * is counted, and the job goes on. Nothing is dropped silently.
 */
public final class ParseOrDeadLetter<T> extends ProcessFunction<SourceLine, T> {

    /** Metric (per subtask, in the web UI and reporters) and accumulator (the run's total). */
    public static final String DEAD_LETTERS = "deadLetterRecords";

    /**
     * Metric and accumulator: the records read, as Spark's {@code numInputRows}: every data row of a file and every
     * Kafka record, parsed or not (a malformed one is read, then a dead letter). A CSV header and a blank line of a
     * CSV or JSON file are no record (Spark's readers skip them); a blank line of a text file is (the row "").
     */
    public static final String RECORDS_READ = "numRecordsRead";

    public static final OutputTag<DeadLetter> DEAD_LETTER_TAG =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final LineParser<T> parser;
    private final boolean countsReads;
    private transient Counter deadLetterMetric;
    private transient LongCounter deadLetterTotal;
    private transient Counter recordsReadMetric;
    private transient LongCounter recordsRead;

    private ParseOrDeadLetter(LineParser<T> parser, boolean countsReads) {
        this.parser = parser;
        this.countsReads = countsReads;
    }

    /** Records and dead letters of a stream of lines. */
    public record Parsed<T>(DataStream<T> records, DataStream<DeadLetter> deadLetters) {}

    public static <T> Parsed<T> parse(DataStream<SourceLine> lines, LineParser<T> parser, TypeInformation<T> type) {
        return parse(lines, parser, type, null);
    }

    /** As above, for one of several inputs of a job: {@code input} names the operator and prefixes its uid. */
    public static <T> Parsed<T> parse(
            DataStream<SourceLine> lines, LineParser<T> parser, TypeInformation<T> type, String input) {
        // At the input's parallelism (chained to it): no shuffle before event time is assigned, so each
        // source split keeps its own watermark, and a parallelism-1 test input stays in order.
        return apply(lines, new ParseOrDeadLetter<>(parser, true), type, input == null ? "parse" : "parse " + input,
                input == null ? "parse" : input + "-parse");
    }

    /**
     * For a stage that keeps lines as they are and leaves parsing to a later one (medallion's bronze): only the
     * lines the reader refused are dead letters; the others become records with {@code keep}, and are not counted
     * as read (the parsing stage counts them, once).
     */
    public static <T> Parsed<T> keepUsable(
            DataStream<SourceLine> lines, LineParser<T> keep, TypeInformation<T> type, String name, String uid) {
        return apply(lines, new ParseOrDeadLetter<>(keep, false), type, name, uid);
    }

    private static <T> Parsed<T> apply(
            DataStream<SourceLine> lines, ParseOrDeadLetter<T> function, TypeInformation<T> type, String name, String uid) {
        SingleOutputStreamOperator<T> records = lines.process(function, type)
                .setParallelism(lines.getParallelism())
                .name(name)
                .uid(uid);
        return new Parsed<>(records, records.getSideOutput(DEAD_LETTER_TAG));
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetterMetric = getRuntimeContext().getMetricGroup().counter(DEAD_LETTERS);
        deadLetterTotal = getRuntimeContext().getLongCounter(DEAD_LETTERS);
        if (countsReads) {
            recordsReadMetric = getRuntimeContext().getMetricGroup().counter(RECORDS_READ);
            recordsRead = getRuntimeContext().getLongCounter(RECORDS_READ);
        }
    }

    @Override
    public void processElement(SourceLine line, Context ctx, Collector<T> out) {
        if (line.isFileNote()) {
            deadLetter(line, line.problem(), ctx);
            return;
        }
        if (line.problem() != null) {
            countRead();
            deadLetter(line, line.problem(), ctx);
            return;
        }
        try {
            Optional<T> record = parser.parse(line);
            if (record.isPresent()) {
                countRead();
                out.collect(record.get());
            } else if (line.isMessage()) {
                // A header or a blank line of a file is no record; a Kafka record always is.
                countRead();
                deadLetter(line, line.text().isBlank() ? "blank value" : "not a row: the header line", ctx);
            }
        } catch (MalformedRecordException e) {
            countRead();
            deadLetter(line, e.getMessage(), ctx);
        }
    }

    private void countRead() {
        if (countsReads) {
            recordsReadMetric.inc();
            recordsRead.add(1);
        }
    }

    private void deadLetter(SourceLine line, String reason, Context ctx) {
        deadLetterMetric.inc();
        deadLetterTotal.add(1);
        ctx.output(DEAD_LETTER_TAG, DeadLetter.of(line, reason));
    }
}
