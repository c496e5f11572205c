package dev.flinkpatterns.parse;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import java.util.List;
import java.util.Optional;
import org.apache.flink.types.Row;

/**
 * Spark's {@code readStream.format("csv").schema(schema)} on one line: the fields by position, each converted to
 * its column's type. A header line (the column names) is skipped; a line with the wrong number of fields or a
 * field that is not of its type is a {@link MalformedRecordException}, hence a dead letter (Spark's
 * PERMISSIVE mode would make it a row of nulls).
 */
public final class RowCsvParser implements LineParser<Row> {

    private final RowSchema schema;
    private final CsvSchema fields;
    private final TextFormats formats;

    public RowCsvParser(RowSchema schema) {
        this(schema, null, ',', TextFormats.DEFAULT);
    }

    /** Spark's {@code header} (null: skip a first line that is the column names), {@code sep} and datetime formats. */
    public RowCsvParser(RowSchema schema, Boolean header, char delimiter, TextFormats formats) {
        for (RowSchema.Column column : schema.columns()) {
            if (column.type() == RowSchema.Type.STRUCT || column.type() == RowSchema.Type.ARRAY) {
                throw new IllegalArgumentException("CSV cannot hold column " + column.name() + " " + column.ddlType()
                        + " (Spark's CSV reader neither): nested types need JSON or Parquet");
            }
        }
        this.schema = schema;
        this.fields = new CsvSchema(schema.names(), header, delimiter);
        this.formats = formats;
    }

    @Override
    public Optional<Row> parse(SourceLine line) throws MalformedRecordException {
        List<String> values = fields.fields(line);
        if (values == null) {
            return Optional.empty();
        }
        Row row = new Row(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            row.setField(i, schema.parse(i, values.get(i), formats));
        }
        return Optional.of(row);
    }
}
