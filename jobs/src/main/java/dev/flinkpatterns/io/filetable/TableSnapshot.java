package dev.flinkpatterns.io.filetable;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.types.Row;

/**
 * One complete version of a {@link FileTable}'s file: its rows by key, in file order. The lines of the content
 * that were refused go to the table's dead letters instead. Versions count up from 1; a restored job goes on counting
 * from its checkpoint.
 *
 * @param version  1 for the first file content read, then one more for each changed content
 * @param file     the file it was read from
 * @param rows     the rows by the text of their key column
 */
public record TableSnapshot(long version, String file, Map<String, Row> rows) {

    public TableSnapshot {
        // A plain map: the snapshot crosses the network (to every join instance) through Flink's serializers.
        rows = new LinkedHashMap<>(rows);
    }
}
