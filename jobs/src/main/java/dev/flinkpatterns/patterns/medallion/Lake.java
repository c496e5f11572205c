package dev.flinkpatterns.patterns.medallion;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/**
 * Where the stages keep their tables (bronze, silver, and gold when it is a table of the lake): Parquet directories
 * ({@link ParquetLake}) or Apache Paimon tables. A stage reads only what the previous one committed, and writes its
 * own table exactly once, committed on checkpoints.
 */
public interface Lake {

    /** A stage's table as a stream of rows: with a bounded trigger what is committed now, else every commit as it comes. */
    SingleOutputStreamOperator<Row> read(StreamExecutionEnvironment env, String table, RowSchema schema, Trigger trigger,
            Duration discoveryInterval);

    /** Appends {@code rows} to a stage's table, committed on checkpoints, exactly once. */
    void write(DataStream<Row> rows, String table, RowSchema schema);

    /** The columns of a table as committed now; empty when nothing is. */
    Optional<RowSchema> committedSchema(String table);

    /**
     * The directories of a table's files, which the run reports and rids of abandoned part files: a Parquet table's
     * directory; none for a table of a catalog, whose commits are its own.
     */
    List<String> resultDirectories(String table);
}
