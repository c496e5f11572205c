package dev.flinkpatterns.io;

import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.RowCsvParser;
import dev.flinkpatterns.parse.RowJsonParser;
import dev.flinkpatterns.parse.TextFormats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.types.Row;

/**
 * Spark's {@code spark.readStream.format(...).schema(...).option(...)} as one value: the format of the input files,
 * their schema and the reader options that apply to it. Line formats (csv, json, text) give their rows through
 * {@link #lineParser()} (bad lines become dead letters in {@code ParseOrDeadLetter}); Parquet files are read whole
 * with {@link FileSources#parquet}.
 *
 * @param header Spark's {@code header} (CSV): true skips the first line of every file, false reads it as data, null
 *     skips a first line that is the column names
 * @param delimiter Spark's {@code sep} (CSV)
 * @param timestampFormat Spark's {@code timestampFormat}; null: ISO-8601 local date-times (see {@link TextFormats})
 * @param dateFormat Spark's {@code dateFormat}; null: {@code yyyy-MM-dd}
 * @param rescuedData Auto Loader's rescue mode (JSON): fields not in the schema are kept in {@code _rescued_data}
 */
public record ReaderOptions(Format format, RowSchema schema, Boolean header, char delimiter, String timestampFormat,
        String dateFormat, boolean rescuedData) implements Serializable {

    /** Spark's input formats. TEXT is Spark's {@code format("text")}: one {@code value STRING} column per line. */
    public enum Format {
        CSV, JSON, PARQUET, TEXT;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A format by its CLI name, or an {@link IllegalArgumentException} naming the formats. */
        public static Format of(String name) {
            for (Format format : values()) {
                if (format.cliName().equals(name.toLowerCase(Locale.ROOT))) {
                    return format;
                }
            }
            throw new IllegalArgumentException("unknown format '" + name + "'; formats: csv, json, parquet, text");
        }
    }

    /** Spark's text format's schema. */
    public static final RowSchema TEXT_SCHEMA = RowSchema.of(Column.nullable("value", Type.STRING));

    /** Checks that the options fit the format; a misfit is an {@link IllegalArgumentException} with one line. */
    public ReaderOptions {
        if (format == Format.TEXT && schema == null) {
            schema = TEXT_SCHEMA;
        }
        if (schema == null) {
            throw new IllegalArgumentException("the " + format.cliName() + " format needs a schema");
        }
        if (format == Format.TEXT && !schema.equals(TEXT_SCHEMA)) {
            throw new IllegalArgumentException("the text format has one column, value STRING; it takes no schema");
        }
        if (rescuedData && format != Format.JSON) {
            throw new IllegalArgumentException("rescued data is for the json format, not " + format.cliName());
        }
        if (rescuedData && schema.indexOf(RowJsonParser.RESCUED_DATA) >= 0) {
            throw new IllegalArgumentException("the schema has a column " + RowJsonParser.RESCUED_DATA
                    + " already, which rescued data adds");
        }
        if (format == Format.CSV) {
            for (Column column : schema.columns()) {
                if (column.type() == Type.STRUCT || column.type() == Type.ARRAY) {
                    throw new IllegalArgumentException("column " + column.name() + " is " + column.ddlType()
                            + ", which CSV cannot hold (nor can Spark's CSV reader); use the json or parquet format");
                }
            }
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("the delimiter cannot be a quote or a line break");
        }
        // Builds the formatters now, so a bad pattern fails before the job starts.
        new TextFormats(timestampFormat, dateFormat);
    }

    /** Spark's defaults for a format and a schema: no header detection beyond the column names, comma, ISO times. */
    public static ReaderOptions of(Format format, RowSchema schema) {
        return new ReaderOptions(format, schema, null, ',', null, null, false);
    }

    public ReaderOptions withSchema(RowSchema newSchema) {
        return new ReaderOptions(format, newSchema, header, delimiter, timestampFormat, dateFormat, rescuedData);
    }

    public TextFormats textFormats() {
        return new TextFormats(timestampFormat, dateFormat);
    }

    /** The schema of the rows read: the given schema, plus {@code _rescued_data STRING} last in rescue mode. */
    public RowSchema rowSchema() {
        if (!rescuedData) {
            return schema;
        }
        List<Column> columns = new ArrayList<>(schema.columns());
        columns.add(Column.nullable(RowJsonParser.RESCUED_DATA, Type.STRING));
        return new RowSchema(columns);
    }

    /** The parser of a line format's lines into rows of {@link #rowSchema()}. */
    public LineParser<Row> lineParser() {
        return switch (format) {
            case CSV -> new RowCsvParser(schema, header, delimiter, textFormats());
            case JSON -> new RowJsonParser(rowSchema(), textFormats(), rescuedData);
            case TEXT -> line -> Optional.of(Row.of(line.text()));
            case PARQUET -> throw new IllegalStateException("Parquet files are read whole, not as lines: FileSources.parquet");
        };
    }
}
