package dev.flinkpatterns.patterns.medallion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** TEMPORARY stub until the FileTable component is merged. */
public final class UserDimension implements java.io.Serializable {
    private final Map<String, Row> rows = new HashMap<>();

    public static UserDimension file(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env, String file, dev.flinkpatterns.core.Trigger t, java.time.Duration d) {
        try { return new UserDimension(file); } catch (Exception e) { throw new RuntimeException(e); }
    }
    public UserDimension(String file) throws Exception {
        for (String line : Files.readAllLines(Path.of(file)).subList(1, Files.readAllLines(Path.of(file)).size())) {
            String[] f = line.split(",", -1);
            rows.put(f[0], Row.of(Long.parseLong(f[0]), f[1], f[2], f[3]));
        }
    }

    DataStream<Row> innerJoin(DataStream<Row> events) {
        Map<String, Row> users = rows;
        return events.filter(e -> users.containsKey(String.valueOf(e.getField(Clickstream.EVENT_USER_ID))))
                .map(e -> Clickstream.silverRow(e, users.get(String.valueOf(e.getField(Clickstream.EVENT_USER_ID)))))
                .returns(Clickstream.SILVER.rowType()).uid("join-users");
    }
}
