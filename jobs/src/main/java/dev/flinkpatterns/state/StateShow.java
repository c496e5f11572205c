package dev.flinkpatterns.state;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.patterns.windows.WindowAccumulator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.CloseableIterator;

/**
 * Spark's {@code spark.read.format("statestore")}: the keyed state of a pattern's stateful operator, read from a
 * retained checkpoint or a savepoint with Flink's State Processor API as a bounded job, as a table of rows.
 */
public final class StateShow {

    /** A stateful operator this command can read: its uid, the pattern it belongs to, what it keeps, its columns. */
    public enum Operator {
        DROP_DUPLICATES("drop-duplicates", "dedup", "the keys remembered and the watermark that forgets each",
                List.of("key", "forgotten_at_watermark"), StateReaders.RememberedKeys::new),
        USER_SESSIONS("user-sessions", "user-sessions", "the open sessions, each with its timeout timer",
                List.of("key", "session_start", "last_event", "rows", "events", "timeout_at"),
                StateReaders.OpenSessions::new),
        WINDOWS("windows", "window-agg", "the open windows of each key, with their row counts (DataStream API)",
                List.of("key", "window_start", "window_end", "rows"), null);

        private final String uid;
        private final String pattern;
        private final String keeps;
        private final List<String> columns;
        private final Function<String, StateReaders.KeyedRows> reader;

        Operator(String uid, String pattern, String keeps, List<String> columns,
                Function<String, StateReaders.KeyedRows> reader) {
            this.uid = uid;
            this.pattern = pattern;
            this.keeps = keeps;
            this.columns = columns;
            this.reader = reader;
        }

        public String uid() {
            return uid;
        }

        public List<String> columns() {
            return columns;
        }

        /** The row of the operator listing: uid, pattern, what it keeps. */
        public List<String> describe() {
            return List.of(uid, pattern, keeps);
        }

        static Optional<Operator> ofUid(String uid) {
            for (Operator operator : values()) {
                if (operator.uid.equals(uid)) {
                    return Optional.of(operator);
                }
            }
            return Optional.empty();
        }
    }

    /** The columns of the operator listing. */
    public static final List<String> OPERATOR_COLUMNS = List.of("operator", "pattern", "state");

    private final String path;
    private final CheckpointMetadata metadata;

    private StateShow(String path, CheckpointMetadata metadata) {
        this.path = path;
        this.metadata = metadata;
    }

    /** The checkpoint or savepoint at {@code path} (its directory or its _metadata file, as a URI). */
    public static StateShow load(String path) throws IOException {
        return new StateShow(path, SavepointLoader.loadSavepointMetadata(path));
    }

    /** The operators of this checkpoint that the command can read, with keyed state. */
    public List<Operator> readableOperators() {
        List<Operator> found = new ArrayList<>();
        for (Operator operator : Operator.values()) {
            if (operatorState(operator.uid).filter(StateShow::hasKeyedState).isPresent()) {
                found.add(operator);
            }
        }
        return found;
    }

    /** The operator of this uid, which this checkpoint must hold. */
    public Operator operator(String uid) {
        Optional<Operator> known = Operator.ofUid(uid);
        List<String> readable = readableOperators().stream().map(Operator::uid).toList();
        if (known.isEmpty() || !readable.contains(uid)) {
            throw new UsageException("--operator " + uid + ": " + (known.isEmpty() ? "not an operator this command reads"
                    : "no keyed state of it in this checkpoint") + "; this checkpoint has: "
                    + (readable.isEmpty() ? "none of them" : String.join(", ", readable)));
        }
        return known.get();
    }

    /**
     * The operator's keyed state as rows of its columns, ordered by key; {@code key}: only that key (null: all).
     * Runs a bounded job on {@code env}; {@code backend} is the state backend that wrote the state.
     */
    public List<List<String>> rows(StreamExecutionEnvironment env, StateBackend backend, Operator operator, String key)
            throws Exception {
        @SuppressWarnings("unchecked")
        TypeInformation<Object> keyType = (TypeInformation<Object>) keyType(operatorState(operator.uid).orElseThrow());
        SavepointReader savepoint = SavepointReader.read(env, path, backend);
        DataStream<List<String>> read = operator.reader == null
                ? savepoint.window(new TimeWindow.Serializer()).aggregate(operator.uid,
                        new StateReaders.AccumulatorAsIs(), new StateReaders.OpenWindows(key), keyType,
                        TypeInformation.of(WindowAccumulator.class), StateReaders.rowType())
                : savepoint.readKeyedState(OperatorIdentifier.forUid(operator.uid), operator.reader.apply(key), keyType,
                        StateReaders.rowType());
        List<List<String>> rows = new ArrayList<>();
        try (CloseableIterator<List<String>> collected = read
                .filter(row -> !row.isEmpty())
                .name("keys that hold state")
                .executeAndCollect("state show " + operator.uid)) {
            collected.forEachRemaining(rows::add);
        }
        rows.sort(Comparator.comparing(row -> row.get(0)));
        return rows.stream().map(row -> row.subList(1, row.size())).toList();
    }

    private Optional<OperatorState> operatorState(String uid) {
        var id = OperatorIdentifier.forUid(uid).getOperatorId();
        return metadata.getOperatorStates().stream().filter(state -> state.getOperatorID().equals(id)).findFirst();
    }

    private static boolean hasKeyedState(OperatorState state) {
        return state.getStates().stream().anyMatch(subtask -> !subtask.getManagedKeyedState().isEmpty());
    }

    /**
     * The type of the operator's keys, from the key serializer its state was written with (user-sessions keys the
     * event files by an INT user id and the user's own files by STRING): the state names it, in the metadata of
     * each keyed state handle.
     */
    private static TypeInformation<?> keyType(OperatorState state) throws IOException {
        for (OperatorSubtaskState subtask : state.getStates()) {
            for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                StreamStateHandle proxyStream = handle instanceof IncrementalKeyedStateHandle incremental
                        ? incremental.getMetaDataStateHandle()
                        : handle instanceof KeyGroupsStateHandle keyGroups ? keyGroups.getDelegateStateHandle() : null;
                if (proxyStream == null) {
                    continue;
                }
                KeyedBackendSerializationProxy<?> proxy =
                        new KeyedBackendSerializationProxy<>(StateShow.class.getClassLoader());
                try (InputStream in = proxyStream.openInputStream()) {
                    proxy.read(new DataInputViewStreamWrapper(in));
                }
                TypeSerializer<?> keys = proxy.getKeySerializerSnapshot().restoreSerializer();
                if (keys instanceof IntSerializer) {
                    return Types.INT;
                }
                if (keys instanceof LongSerializer) {
                    return Types.LONG;
                }
                if (keys instanceof StringSerializer) {
                    return Types.STRING;
                }
                throw new UsageException("keys of type " + keys.getClass().getSimpleName() + " are not readable here");
            }
        }
        // No keys at all: any type reads nothing.
        return Types.STRING;
    }
}
