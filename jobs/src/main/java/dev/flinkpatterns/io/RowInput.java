package dev.flinkpatterns.io;

import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.parse.ParseOrDeadLetter.Parsed;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Row;

/**
 * The user's rows before a pattern sees them, in any of Spark's file formats: lines of csv, json or text files that
 * {@link ReaderOptions} parses, or the rows of Parquet files, typed already. Either way a pattern gets rows of
 * {@link #schema()} and dead letters, so each pattern reads every format through one code path.
 */
public final class RowInput {

    private final DataStream<SourceLine> lines;
    private final DataStream<Row> parquetRows;
    private final ReaderOptions reader;
    private final String source;
    /** What gave typed rows: parquet or paimon (names their operators). */
    private final String typedKind;

    private RowInput(DataStream<SourceLine> lines, DataStream<Row> parquetRows, ReaderOptions reader, String source,
            String typedKind) {
        this.lines = lines;
        this.parquetRows = parquetRows;
        this.reader = reader;
        this.source = source;
        this.typedKind = typedKind;
    }

    /** Lines of a line format, parsed as {@code reader} says. */
    public static RowInput ofLines(DataStream<SourceLine> lines, ReaderOptions reader) {
        return new RowInput(lines, null, reader, null, null);
    }

    /**
     * Rows of Parquet files ({@link FileSources#parquet}) under {@code source}, the directory as the user gave it:
     * dead letters name it, as Parquet rows have no line.
     */
    public static RowInput ofParquet(DataStream<Row> parquetRows, ReaderOptions reader, String source) {
        return new RowInput(null, parquetRows, reader, source, "parquet");
    }

    /**
     * Rows of an Apache Paimon table ({@link dev.flinkpatterns.io.paimon.PaimonSources#rows}) of {@code schema},
     * typed as Parquet rows are; {@code table} ({@code database.table}) names it in dead letters.
     */
    public static RowInput ofPaimon(DataStream<Row> tableRows, RowSchema schema, String table) {
        return new RowInput(null, tableRows, ReaderOptions.of(ReaderOptions.Format.PARQUET, schema), table, "paimon");
    }

    /**
     * The same input read by one reader: the file source (or the operator that made the lines) at parallelism 1,
     * for a watermark that moves after every row (see the CLI's EventTimeOptions). Call before {@link #rows}.
     */
    public RowInput onOneReader() {
        if ((lines != null ? lines : parquetRows) instanceof SingleOutputStreamOperator<?> source) {
            source.setParallelism(1);
        }
        return this;
    }

    public ReaderOptions reader() {
        return reader;
    }

    /** The rows' schema: the reader's, with {@code _rescued_data} in JSON's rescue mode. */
    public RowSchema schema() {
        return reader.rowSchema();
    }

    /**
     * The rows; one with a null in one of {@code required} (e.g. the event time, a key) is a dead letter, as is a
     * line that does not parse. {@code input}: null for a job's only input, else its name (it names the operator
     * and prefixes its uid).
     */
    public Parsed<Row> rows(List<String> required, String input) {
        if (lines != null) {
            return ParseOrDeadLetter.parse(lines, FileSources.requiring(reader, required), schema().rowType(), input);
        }
        return checked(new ParquetRowCheck(schema(), required, source, false), schema(), input);
    }

    /**
     * As {@link #rows}, each row with one more, last field {@value FileSources#ORDER_KEY}: where it was read, so
     * append-mode batches list rows in the files' order after a shuffle. A Parquet row has no line: its order key
     * is the reader subtask and the row's number in it.
     */
    public Parsed<Row> positioned(List<String> required, String input) {
        if (lines != null) {
            return FileSources.positionedRows(lines, reader, required, input);
        }
        return checked(new ParquetRowCheck(schema(), required, source, true), FileSources.withOrderKey(schema()), input);
    }

    /**
     * As {@link #rows}, each row followed by where it was read (Auto Loader's {@code _metadata.file_path}): two more,
     * last fields, its file and its 1-based line. Parquet's reader does not say which file a row came from: a Parquet
     * row has the input directory and a null line. {@code located}: {@link #schema()} and those two columns.
     */
    public Parsed<Row> located(List<String> required, String input, RowSchema located) {
        if (lines != null) {
            LineParser<Row> rows = FileSources.requiring(reader, required);
            LineParser<Row> withSource = line -> rows.parse(line).map(row -> Row.join(row, Row.of(line.source(), line.line())));
            return ParseOrDeadLetter.parse(lines, withSource, located.rowType(), input);
        }
        Parsed<Row> rows = rows(required, input);
        String directory = source;
        DataStream<Row> withDirectory = rows.records()
                .map(row -> Row.join(row, Row.of(directory, null)))
                .returns(located.rowType())
                .setParallelism(parquetRows.getParallelism())
                .name(typedKind + " rows with their " + ("parquet".equals(typedKind) ? "directory" : "table")
                        + (input == null ? "" : " " + input))
                .uid(input == null ? typedKind + "-rows-located" : input + "-" + typedKind + "-rows-located");
        return new Parsed<>(withDirectory, rows.deadLetters());
    }

    private Parsed<Row> checked(ParquetRowCheck check, RowSchema result, String input) {
        SingleOutputStreamOperator<Row> rows = parquetRows.process(check, result.rowType())
                .setParallelism(parquetRows.getParallelism())
                .name(input == null ? "check " + typedKind + " rows" : "check " + typedKind + " rows " + input)
                .uid(input == null ? typedKind + "-rows" : input + "-" + typedKind + "-rows");
        return new Parsed<>(rows, rows.getSideOutput(ParseOrDeadLetter.DEAD_LETTER_TAG));
    }
}
