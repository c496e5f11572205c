package dev.flinkpatterns.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.formats.parquet.avro.AvroParquetWriters;
import org.apache.flink.types.Row;

/** How a row of a {@link RowSchema} is written: a JSON object or a CSV line (row formats), or a Parquet record. */
final class RowWriters {

    private RowWriters() {}

    /**
     * Spark's JSON sink: one object per line, the columns by name, values typed as {@link JsonValues} writes them
     * (timestamps {@code 2024-01-15T10:00:00.000Z}); null values are left out, as Spark does.
     */
    static Encoder<Row> jsonLines(RowSchema schema) {
        return (row, stream) -> stream.write(json(row, schema, true).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Spark's CSV sink with {@code header=true}: each part file starts with the column names; a null is an empty field,
     * a field with , " or a line break is quoted, timestamps as in JSON ({@code 2024-01-15T10:00:00.000Z}).
     */
    static BulkWriter.Factory<Row> csvFiles(RowSchema schema) {
        return out -> {
            out.write(csvLine(schema.names()).getBytes(StandardCharsets.UTF_8));
            return new BulkWriter<>() {
                @Override
                public void addElement(Row row) throws IOException {
                    out.write(csv(row, schema).getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void finish() throws IOException {
                    out.flush();
                }
            };
        };
    }

    /** Parquet with the schema's Avro record; a part file is a Parquet file, finished (footer) when it rolls. */
    static BulkWriter.Factory<Row> parquet(RowSchema schema) {
        return new ParquetRows(schema, AvroParquetWriters.forGenericRecord(schema.avroSchema()));
    }

    /** @param sparkTimes timestamps as Spark's JSON writer ({@code T}, millis, {@code Z}), else as the console shows them */
    static String json(Row row, RowSchema schema, boolean sparkTimes) {
        StringBuilder line = new StringBuilder(64).append('{');
        for (int i = 0; i < schema.size(); i++) {
            Object value = row.getField(i);
            if (value == null) {
                continue;
            }
            if (line.length() > 1) {
                line.append(',');
            }
            line.append(Json.quote(schema.column(i).name())).append(':');
            switch (schema.column(i).type()) {
                case STRING -> line.append(Json.quote((String) value));
                case TIMESTAMP -> line.append(Json.quote(sparkTimes ? JsonValues.timestamp((LocalDateTime) value) : RowSchema.text(value)));
                default -> JsonValues.append(line, value);
            }
        }
        return line.append("}\n").toString();
    }

    static String csv(Row row, RowSchema schema) {
        java.util.List<String> fields = new java.util.ArrayList<>(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            Object value = row.getField(i);
            fields.add(value == null ? null : value instanceof LocalDateTime time ? JsonValues.timestamp(time)
                    : value instanceof java.math.BigDecimal decimal ? decimal.toPlainString() : value.toString());
        }
        return csvLine(fields);
    }

    private static String csvLine(java.util.List<String> fields) {
        StringBuilder line = new StringBuilder(64);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String text = fields.get(i);
            if (text != null) {
                boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                        || text.indexOf('\r') >= 0;
                line.append(quote ? '"' + text.replace("\"", "\"\"") + '"' : text);
            }
        }
        return line.append('\n').toString();
    }

    /** Turns rows into Avro records for Flink's Parquet writer. */
    private record ParquetRows(RowSchema schema, BulkWriter.Factory<GenericRecord> records) implements BulkWriter.Factory<Row> {
        @Override
        public BulkWriter<Row> create(FSDataOutputStream out) throws IOException {
            BulkWriter<GenericRecord> writer = records.create(out);
            Schema avro = schema.avroSchema();
            return new BulkWriter<>() {
                @Override
                public void addElement(Row row) throws IOException {
                    writer.addElement(schema.toAvro(row, avro));
                }

                @Override
                public void flush() throws IOException {
                    writer.flush();
                }

                @Override
                public void finish() throws IOException {
                    writer.finish();
                }
            };
        }
    }
}
