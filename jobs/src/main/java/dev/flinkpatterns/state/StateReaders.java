package dev.flinkpatterns.state;

import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.patterns.dedup.KeepFirst;
import dev.flinkpatterns.patterns.sessions.SessionTracker;
import dev.flinkpatterns.patterns.windows.WindowAccumulator;
import dev.flinkpatterns.table.SortKeys;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.functions.WindowReaderFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * What each stateful operator keeps per key, read back with the State Processor API: one row of cells per key,
 * its first cell a sort key (dropped before printing). The state names and types are those the operators declare.
 */
final class StateReaders {

    /** The character that joins the columns of a dedup key (see DedupKey and Deduplication). */
    private static final char KEY_SEPARATOR = '\u001f';
    /** A null column value in a dedup key of the user's own files. */
    private static final char NULL_VALUE = '\u0000';

    private StateReaders() {}

    /** A key as shown: a dedup key's columns joined by commas, a user id as its number. */
    static String displayKey(Object key) {
        if (!(key instanceof String text)) {
            return String.valueOf(key);
        }
        String shown = text.endsWith(String.valueOf(KEY_SEPARATOR)) ? text.substring(0, text.length() - 1) : text;
        return shown.replace(KEY_SEPARATOR, ',').replace(String.valueOf(NULL_VALUE), "null");
    }

    /** Numbers in numeric order, text in text order. */
    static String sortKey(Object key) {
        return key instanceof Number number ? SortKeys.zeroPadded(number.longValue(), 19) : displayKey(key);
    }

    /** The rows' type: lists of cells. */
    static TypeInformation<List<String>> rowType() {
        return Types.LIST(Types.STRING);
    }

    /** The keys a reader shows: all, or the one whose display is {@code only}. */
    abstract static class KeyedRows extends KeyedStateReaderFunction<Object, List<String>> {

        private final String only;

        KeyedRows(String only) {
            this.only = only;
        }

        @Override
        public final void readKey(Object key, Context context, Collector<List<String>> out) throws Exception {
            String shown = displayKey(key);
            List<String> cells = only != null && !only.equals(shown) ? null : cells(shown);
            List<String> row = new ArrayList<>();
            if (cells != null) {
                row.add(sortKey(key));
                row.addAll(cells);
            }
            // Every key gives a row: the reader's source emits null for a key that gives none.
            out.collect(row);
        }

        /** The key's cells, or null when it holds nothing. */
        abstract List<String> cells(String key) throws Exception;
    }

    /** dedup's {@code drop-duplicates}: each remembered key and the watermark at which it is forgotten. */
    static final class RememberedKeys extends KeyedRows {

        private transient ValueState<Long> expiry;

        RememberedKeys(String only) {
            super(only);
        }

        @Override
        public void open(OpenContext openContext) {
            expiry = getRuntimeContext().getState(KeepFirst.expiryState());
        }

        @Override
        List<String> cells(String key) throws Exception {
            Long forgetAt = expiry.value();
            if (forgetAt == null) {
                return null;
            }
            return List.of(key, forgetAt == Long.MAX_VALUE ? "never" : Timestamps.display(forgetAt));
        }
    }

    /** user-sessions' {@code user-sessions}: each open session, its bounds, rows, event counts and timeout timer. */
    static final class OpenSessions extends KeyedRows {

        private transient ValueState<SessionTracker.Session> session;
        private transient MapState<String, Long> eventCounts;

        OpenSessions(String only) {
            super(only);
        }

        @Override
        public void open(OpenContext openContext) {
            session = getRuntimeContext().getState(SessionTracker.sessionState());
            eventCounts = getRuntimeContext().getMapState(SessionTracker.eventCountsState());
        }

        @Override
        List<String> cells(String key) throws Exception {
            SessionTracker.Session open = session.value();
            if (open == null) {
                return null;
            }
            return List.of(key, Timestamps.display(open.start()), Timestamps.display(open.last()),
                    String.valueOf(open.rows()), SessionTracker.describeCounts(eventCounts.entries()),
                    Timestamps.display(open.timer()));
        }
    }

    /**
     * window-agg's {@code windows}: each open window per key, with its row count. The state is the accumulator the
     * window's AggregateFunction built; reading it back needs only getResult, which is the accumulator itself.
     */
    static final class OpenWindows extends WindowReaderFunction<WindowAccumulator, List<String>, Object, TimeWindow> {

        private final String only;

        OpenWindows(String only) {
            this.only = only;
        }

        @Override
        public void readWindow(Object key, Context<TimeWindow> context, Iterable<WindowAccumulator> contents,
                Collector<List<String>> out) {
            String shown = displayKey(key);
            for (WindowAccumulator window : contents) {
                List<String> row = new ArrayList<>();
                if (only == null || only.equals(shown)) {
                    row.addAll(List.of(sortKey(key) + "/" + SortKeys.zeroPadded(context.window().getStart(), 19),
                            shown, Timestamps.display(context.window().getStart()),
                            Timestamps.display(context.window().getEnd()), String.valueOf(window.count)));
                }
                out.collect(row);
            }
        }
    }

    /** The window's accumulator as it is: only for reading a window's state back. */
    static final class AccumulatorAsIs implements AggregateFunction<Object, WindowAccumulator, WindowAccumulator> {

        @Override
        public WindowAccumulator createAccumulator() {
            throw new UnsupportedOperationException("reads state only");
        }

        @Override
        public WindowAccumulator add(Object value, WindowAccumulator accumulator) {
            throw new UnsupportedOperationException("reads state only");
        }

        @Override
        public WindowAccumulator getResult(WindowAccumulator accumulator) {
            return accumulator;
        }

        @Override
        public WindowAccumulator merge(WindowAccumulator a, WindowAccumulator b) {
            throw new UnsupportedOperationException("reads state only");
        }
    }
}
