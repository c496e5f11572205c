package dev.flinkpatterns.patterns.sessions;

import dev.flinkpatterns.sql.SqlEnvironments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.TimeUtils;

/**
 * {@code user-sessions --api sql}: the sessions from a SQL query calling {@link SessionsFunction}, in place of
 * {@link SessionTracker}. The rows come in as the DataStream variant keys them (after the same parsing, event time and
 * late-row split): the view {@code events(<key>[, <counted>], <time>)} holds the key, the counted value as text and the
 * rows' event time as its rowtime, on the stream's own watermarks.
 */
public final class SessionsInSql {

    static final String VIEW = "events";
    static final String FUNCTION = "user_sessions";
    /** The function's state id: not the tracker's {@code user-sessions}, whose state it does not have. */
    static final String UID = "user-sessions-sql";

    /**
     * The view's column names: the key's, the counted column's (null when nothing is counted, or when it is the key,
     * whose value the function then counts) and the event time's, which must differ from the other two.
     */
    public record Columns(String key, String counted, String time) implements java.io.Serializable {
        public Columns {
            if (time.equals(key) || time.equals(counted)) {
                throw new IllegalArgumentException(SAME_TIME_COLUMN + time);
            }
            if (key.equals(counted)) {
                counted = null;
            }
        }
    }

    /** Why the SQL variant cannot key or count by the time column itself. */
    public static final String SAME_TIME_COLUMN = "--api sql keys and counts columns of a view beside its time column, "
            + "so --key and --event-type cannot be the --event-time column ";

    private SessionsInSql() {}

    /** The query, as a user would write it. */
    public static String sql(Columns columns, Duration timeout) {
        return "SELECT " + quoted(columns.key()) + ", session_start, session_end, `rows`, events\n"
                + "FROM " + FUNCTION + "(input => TABLE " + VIEW + " PARTITION BY " + quoted(columns.key()) + ",\n"
                + "    on_time => DESCRIPTOR(" + quoted(columns.time()) + "), timeout => '" + TimeUtils.formatWithHighestUnit(timeout)
                + "', uid => '" + UID + "')";
    }

    /**
     * The sessions of {@code rows} (with their event-time timestamps, on time) per {@code key}, counting
     * {@code counted} (null: nothing, or the key when it is the counted column).
     */
    static <K, T> DataStream<UserSession<K>> sessions(DataStream<T> rows, KeySelector<T, K> key, TypeInformation<K> keyType,
            SessionTracker.EventType<T> counted, Columns columns, Duration timeout,
            TypeInformation<UserSession<K>> sessionType) {
        boolean countsColumn = counted != null && columns.counted() != null;
        List<String> names = new ArrayList<>(List.of(columns.key()));
        List<TypeInformation<?>> types = new ArrayList<>(List.of(keyType));
        if (countsColumn) {
            names.add(columns.counted());
            types.add(Types.STRING);
        }
        DataStream<Row> viewRows = rows.map(row -> countsColumn ? Row.of(key.getKey(row), counted.of(row))
                        : Row.of(key.getKey(row)))
                .returns(new RowTypeInfo(types.toArray(TypeInformation[]::new), names.toArray(String[]::new)))
                .setParallelism(rows.getParallelism())
                .name("to SQL rows").uid("session-sql-input");
        StreamTableEnvironment tables = SqlEnvironments.on(rows.getExecutionEnvironment());
        tables.createTemporaryView(VIEW, tables.fromDataStream(viewRows, Schema.newBuilder()
                .columnByMetadata(columns.time(), DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                .watermark(columns.time(), "SOURCE_WATERMARK()")
                .build()));
        String countedName = counted == null ? null : countsColumn ? columns.counted() : columns.key();
        tables.createTemporarySystemFunction(FUNCTION, new SessionsFunction(countedName));
        return tables.toDataStream(tables.sqlQuery(sql(columns, timeout)))
                .map(row -> new UserSession<K>(row.getFieldAs(0), row.<Long>getFieldAs(1), row.<Long>getFieldAs(2),
                        row.<Long>getFieldAs(3), row.getFieldAs(4)))
                .returns(sessionType)
                .name("SQL rows as sessions").uid("user-sessions-sql-rows");
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }
}
