package dev.flinkpatterns.io.filetable;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.CsvSchema;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.core.fs.Path;
import org.apache.flink.types.Row;

/**
 * The content of a table file: by default CSV with the header line, then one row per line, unique by the key column;
 * or any line format of {@link ReaderOptions} (JSON lines, CSV with the user's header and delimiter). The same rules
 * for {@link FileTable}'s versions and for loading a file into a database table.
 */
public final class CsvTableFile implements Serializable {

    private final RowSchema schema;
    private final int keyIndex;
    private final LineParser<Row> parser;
    /** The header the first line must be (CSV, Spark's header unset); null: none is checked. */
    private final CsvSchema header;
    /** Lines before the rows: 1 with a header (checked or, with header=true, skipped as Spark does), else 0. */
    private final int headerLines;

    /** A CSV file with {@code schema}'s names as its header line. */
    public CsvTableFile(RowSchema schema, String keyColumn) {
        this(ReaderOptions.of(ReaderOptions.Format.CSV, schema), keyColumn);
    }

    /** A file of a line format, read as {@code options} say: CSV's first line is the header unless header=false. */
    public CsvTableFile(ReaderOptions options, String keyColumn) {
        if (options.format() == ReaderOptions.Format.PARQUET) {
            throw new IllegalArgumentException("a table file is csv, json or text, not parquet");
        }
        this.schema = options.rowSchema();
        this.keyIndex = schema.indexOf(keyColumn);
        if (keyIndex < 0) {
            throw new IllegalArgumentException("key column " + keyColumn + " is not in " + schema.names());
        }
        boolean csv = options.format() == ReaderOptions.Format.CSV;
        this.parser = options.lineParser();
        this.header = csv && options.header() == null ? new CsvSchema(schema.names(), null, options.delimiter()) : null;
        this.headerLines = csv && !Boolean.FALSE.equals(options.header()) ? 1 : 0;
    }

    /**
     * A file's rows by the text of their key, in file order, and the lines that are not rows; or, when the content
     * cannot be a table (empty, no header), why ({@code refusal}) and no rows.
     */
    public record Content(Map<String, Row> rows, List<DeadLetter> rejected, String refusal) {
        public boolean isRefused() {
            return refusal != null;
        }
    }

    /** The bytes of a file (a path or a URI of Flink's file systems). */
    public static byte[] read(String file) throws IOException {
        Path path = new Path(file);
        try (InputStream in = path.getFileSystem().open(path)) {
            return in.readAllBytes();
        }
    }

    public Content parse(String file, String text) {
        List<String> lines = text.lines().toList();
        List<DeadLetter> rejected = new ArrayList<>();
        if (lines.isEmpty()) {
            return new Content(Map.of(), rejected, "the file is empty");
        }
        if (header != null && !isHeader(file, lines.get(0))) {
            String refusal = "the first line is not the header " + String.join(",", schema.names());
            rejected.add(new DeadLetter(file, 1, lines.get(0), refusal + ": the whole file is refused"));
            return new Content(Map.of(), rejected, refusal);
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, Long> lineOfKey = new LinkedHashMap<>();
        for (int i = headerLines; i < lines.size(); i++) {
            SourceLine line = new SourceLine(file, i + 1, lines.get(i));
            try {
                Optional<Row> parsed = parser.parse(line);
                if (parsed.isEmpty()) {
                    continue;
                }
                Row row = parsed.get();
                Object key = row.getField(keyIndex);
                if (key == null) {
                    throw new MalformedRecordException(keyName() + " (the key) is empty");
                }
                String keyText = RowSchema.text(key);
                Long first = lineOfKey.putIfAbsent(keyText, line.line());
                if (first != null) {
                    throw new MalformedRecordException("duplicate " + keyName() + " " + keyText + ": the row of line "
                            + first + " is kept");
                }
                rows.put(keyText, row);
            } catch (MalformedRecordException e) {
                rejected.add(DeadLetter.of(line, e.getMessage()));
            }
        }
        return new Content(rows, rejected, null);
    }

    private String keyName() {
        return schema.column(keyIndex).name();
    }

    private boolean isHeader(String file, String firstLine) {
        try {
            return !firstLine.isBlank() && header.fields(new SourceLine(file, 1, firstLine)) == null;
        } catch (MalformedRecordException e) {
            return false;
        }
    }
}
