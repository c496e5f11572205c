package dev.flinkpatterns.io;

import java.io.IOException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.flink.types.Row;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Parquet files as rows of an explicit schema: parquet-avro reads each file with its own schema, and the schema's
 * columns are picked from each record by name ({@link RowSchema#fromAvro}). Files are read whole (not split); the
 * reader reports no position, so the file source counts the rows emitted and a restored reader skips them.
 * INT96 timestamps (Spark's default) are read as their 12 bytes and decoded by {@link RowSchema}.
 */
final class ParquetRowFormat implements StreamFormat<Row> {

    private final RowSchema schema;

    ParquetRowFormat(RowSchema schema) {
        this.schema = schema;
    }

    /** parquet-avro's settings for files of any writer: INT96 columns as fixed bytes instead of an error. */
    static org.apache.hadoop.conf.Configuration readerSettings() {
        org.apache.hadoop.conf.Configuration settings = new org.apache.hadoop.conf.Configuration(false);
        settings.setBoolean(AvroReadSupport.READ_INT96_AS_FIXED, true);
        return settings;
    }

    @Override
    public Reader<Row> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        if (splitEnd != fileLen) {
            throw new IllegalArgumentException("Parquet files are read whole, not from " + splitEnd + " of " + fileLen);
        }
        ParquetReader<GenericRecord> records = AvroParquetReader.<GenericRecord>builder(new ParquetInputFile(stream, fileLen))
                .withDataModel(GenericData.get())
                .withConf(readerSettings())
                .build();
        return new RowReader(records, schema);
    }

    @Override
    public Reader<Row> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset, long fileLen,
            long splitEnd) throws IOException {
        // The reader reports no offset (CheckpointedPosition.NO_OFFSET): the file source skips the rows emitted.
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return schema.rowType();
    }

    private record RowReader(ParquetReader<GenericRecord> records, RowSchema schema) implements Reader<Row> {
        @Override
        public Row read() throws IOException {
            GenericRecord record = records.read();
            return record == null ? null : schema.fromAvro(record);
        }

        @Override
        public void close() throws IOException {
            records.close();
        }
    }
}
