package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ChangeAsRecord;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Numbered test rows (id, priority): every tenth is high priority. */
final class BatchRows {

    static final RowSchema SCHEMA = RowSchema.of(RowSchema.Column.nullable("id", RowSchema.Type.STRING),
            RowSchema.Column.nullable("priority", RowSchema.Type.STRING));
    static final TypeInformation<Change> TYPE = TypeInformation.of(Change.class);

    private BatchRows() {}

    static Change row(long number) {
        String id = String.format("row-%05d", number);
        return Change.of(id, id, number % 10 == 0 ? "high" : "low");
    }

    /** Rows 0 to count - 1, 3,000 a second: a run spans many 200 ms checkpoints. */
    static DataStream<Change> numbered(StreamExecutionEnvironment env, int count) {
        DataGeneratorSource<Change> source = new DataGeneratorSource<>(BatchRows::row, count,
                RateLimiterStrategy.perSecond(3_000), TYPE);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbered rows");
    }

    static List<String> keys(int count) {
        return LongStream.range(0, count).mapToObj(n -> row(n).key()).toList();
    }

    /** The JSON lines the file handlers write for these rows, sorted. */
    static List<String> jsonLines(int count, boolean onlyHigh) {
        return LongStream.range(0, count).mapToObj(BatchRows::row)
                .filter(row -> !onlyHigh || row.cells().get(1).equals("high"))
                .map(row -> ChangeAsRecord.json(row, SCHEMA, false)).sorted().toList();
    }
}
