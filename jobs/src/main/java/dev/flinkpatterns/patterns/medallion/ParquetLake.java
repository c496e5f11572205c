package dev.flinkpatterns.patterns.medallion;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaInference;
import dev.flinkpatterns.parse.TextFormats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/** The lake as a directory: each table a directory of Parquet part files, {@code DIR/bronze}, {@code DIR/silver}. */
public record ParquetLake(String directory) implements Lake {

    public String tableDirectory(String table) {
        return directory + "/" + table;
    }

    @Override
    public SingleOutputStreamOperator<Row> read(StreamExecutionEnvironment env, String table, RowSchema schema,
            Trigger trigger, Duration discoveryInterval) {
        return Medallion.read(env, tableDirectory(table), schema, trigger, discoveryInterval, table);
    }

    @Override
    public void write(DataStream<Row> rows, String table, RowSchema schema) {
        Medallion.write(rows, tableDirectory(table), schema, table);
    }

    @Override
    public Optional<RowSchema> committedSchema(String table) {
        try {
            return Optional.of(SchemaInference.infer(Path.of(tableDirectory(table)), Format.PARQUET, null, ',',
                    new TextFormats(null, null)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // nothing committed yet, or a remote lake: not listed from here
        }
    }

    @Override
    public List<String> resultDirectories(String table) {
        return List.of(tableDirectory(table));
    }
}
