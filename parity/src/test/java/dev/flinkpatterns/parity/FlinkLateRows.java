package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Flink's default watermark judges each row by the newest time read before it; Spark judges a micro-batch by the
 * watermark of two batches before. Where the two differ only by that rule, Spark's query run as a batch over the
 * rows Flink did not drop (its {@code --late-output}) gives Flink's result: this class builds those rows.
 */
final class FlinkLateRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkLateRows() {}

    /**
     * The input's well-formed rows ({@code timestamp} and {@code columns}) minus the rows in Flink's late output
     * directory, as a batch Dataset.
     */
    static Dataset<Row> kept(String input, String lateOutput, String schema, String... columns) {
        StructType inputSchema = StructType.fromDDL(schema);
        List<String> names = new ArrayList<>(List.of("timestamp"));
        names.addAll(Arrays.asList(columns));
        StructType keptSchema = new StructType(names.stream().map(name -> inputSchema.apply(name))
                .toArray(StructField[]::new));
        Dataset<Row> rows = SparkSessions.get().read().schema(inputSchema).option("header", "true")
                .option("mode", "DROPMALFORMED").csv(Patterns.ROOT.resolve(input).toString())
                .select(names.stream().map(name -> col(name)).toArray(Column[]::new));
        return rows.exceptAll(SparkSessions.get().createDataFrame(late(lateOutput, keptSchema), keptSchema));
    }

    private static List<Row> late(String lateOutput, StructType schema) {
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(Patterns.ROOT.resolve(lateOutput))) {
            for (Path file : files.filter(path -> !path.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    rows.add(row(JSON.readTree(line), schema));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + lateOutput, e);
        }
        return rows;
    }

    /** A late-output record: its event time, and the other columns from its row. */
    private static Row row(JsonNode record, StructType schema) {
        Object[] values = new Object[schema.size()];
        values[0] = LocalDateTime.parse(record.path("event_time").asText().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        for (int i = 1; i < schema.size(); i++) {
            StructField field = schema.fields()[i];
            JsonNode value = record.path("row").path(field.name());
            values[i] = field.dataType().equals(DataTypes.IntegerType) ? (Object) value.asInt() : value.asText();
        }
        return RowFactory.create(values);
    }
}
