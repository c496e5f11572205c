package dev.flinkpatterns.io;

import java.io.IOException;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.formats.parquet.avro.AvroParquetReaders;
import org.apache.flink.types.Row;

/**
 * Parquet files as rows of an explicit schema: Flink's Avro Parquet reader with the schema's Avro record (the
 * file's columns are projected onto it by name), each record turned into a {@link Row}. The reader's checkpointed
 * position is passed through, so a restored reader skips exactly the rows already emitted.
 */
final class ParquetRowFormat implements StreamFormat<Row> {

    private final RowSchema schema;
    private final StreamFormat<GenericRecord> avro;

    ParquetRowFormat(RowSchema schema) {
        this.schema = schema;
        this.avro = AvroParquetReaders.forGenericRecord(schema.avroSchema());
    }

    @Override
    public Reader<Row> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        return new RowReader(avro.createReader(config, stream, fileLen, splitEnd), schema);
    }

    @Override
    public Reader<Row> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset, long fileLen,
            long splitEnd) throws IOException {
        return new RowReader(avro.restoreReader(config, stream, restoredOffset, fileLen, splitEnd), schema);
    }

    @Override
    public boolean isSplittable() {
        return avro.isSplittable();
    }

    @Override
    public TypeInformation<Row> getProducedType() {
        return schema.rowType();
    }

    private record RowReader(Reader<GenericRecord> records, RowSchema schema) implements Reader<Row> {
        @Override
        public Row read() throws IOException {
            GenericRecord record = records.read();
            return record == null ? null : schema.fromAvro(record);
        }

        @Override
        public CheckpointedPosition getCheckpointedPosition() {
            return records.getCheckpointedPosition();
        }

        @Override
        public void close() throws IOException {
            records.close();
        }
    }
}
