package dev.flinkpatterns.testing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The tutorial's event files the CLI tests share, counted by hand: login 3, logout 1, purchase 2, view 2. */
public final class EventFiles {

    public static final String HEADER = "timestamp,user_id,event";

    /** Eight rows: the first four in the first file, the rest in the second. */
    public static final List<String> ROWS = List.of(
            "2025-07-15T15:03:21.123456,3,logout",
            "2025-07-15T15:03:21.223456,2,login",
            "2025-07-15T15:03:21.323456,2,view",
            "2025-07-15T15:03:21.423456,5,purchase",
            "2025-07-15T15:03:24.000001,1,login",
            "2025-07-15T15:03:24.000002,4,view",
            "2025-07-15T15:03:24.000003,1,login",
            "2025-07-15T15:03:24.000004,5,purchase");

    /** csv-agg's counts of the rows, as Spark's show() prints them. */
    public static final String COUNTS_TABLE = """
            +--------+-----+
            |   event|count|
            +--------+-----+
            |   login|    3|
            |  logout|    1|
            |purchase|    2|
            |    view|    2|
            +--------+-----+
            """;

    private EventFiles() {}

    /** The rows as event_batch_0.csv and event_batch_1.csv under {@code dir}; returns {@code dir}. */
    public static Path twoFiles(Path dir) throws Exception {
        FlinkTests.writeLines(dir, "event_batch_0.csv", withHeader(ROWS.subList(0, 4)));
        FlinkTests.writeLines(dir, "event_batch_1.csv", withHeader(ROWS.subList(4, 8)));
        return dir;
    }

    /** The rows as one event_batch_0.csv under {@code dir}; returns {@code dir}. */
    public static Path oneFile(Path dir) throws Exception {
        FlinkTests.writeLines(dir, "event_batch_0.csv", withHeader(ROWS));
        return dir;
    }

    private static String[] withHeader(List<String> rows) {
        String[] lines = new String[rows.size() + 1];
        lines[0] = HEADER;
        for (int i = 0; i < rows.size(); i++) {
            lines[i + 1] = rows.get(i);
        }
        return lines;
    }
}
