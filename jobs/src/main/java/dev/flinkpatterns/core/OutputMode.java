package dev.flinkpatterns.core;

import java.util.List;
import java.util.Locale;

/** Spark's output modes: what each micro-batch of a result table shows. */
public enum OutputMode {
    /** Only rows added since the last batch; a row is never changed once shown. */
    APPEND,
    /** Only rows that changed since the last batch (upserts). */
    UPDATE,
    /** The whole result table, every batch. */
    COMPLETE;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of query, which decides the modes Spark allows. */
    public enum Query {
        /** A running aggregation with no watermark: counts can change forever. */
        AGGREGATION_WITHOUT_WATERMARK,
        /** An aggregation whose rows close when the watermark passes them (windows): every mode. */
        AGGREGATION_WITH_WATERMARK,
        /** Rows passed through, no aggregation. */
        NO_AGGREGATION,
        /** A join of two streams: a joined row is final once emitted, so append only (Spark's rule). */
        STREAM_STREAM_JOIN,
        /** Spark's mapGroupsWithState: a row per key that every event updates, so update only. */
        MAP_GROUPS_WITH_STATE
    }

    /** The modes Spark allows for a query, its default first. */
    public static List<OutputMode> allowedFor(Query query) {
        return switch (query) {
            case AGGREGATION_WITHOUT_WATERMARK -> List.of(COMPLETE, UPDATE);
            case AGGREGATION_WITH_WATERMARK -> List.of(APPEND, UPDATE, COMPLETE);
            case NO_AGGREGATION -> List.of(APPEND, UPDATE);
            case STREAM_STREAM_JOIN -> List.of(APPEND);
            case MAP_GROUPS_WITH_STATE -> List.of(UPDATE);
        };
    }

    /** Spark's reason for refusing this mode on such a query, with what it means. */
    public String refusalFor(Query query) {
        return switch (query) {
            case AGGREGATION_WITHOUT_WATERMARK -> "Append output mode not supported when there are streaming aggregations"
                    + " on streaming DataFrames/DataSets without watermark (a count can still change, so no row is final)";
            // Spark allows every mode here; nothing is refused.
            case AGGREGATION_WITH_WATERMARK -> "";
            case NO_AGGREGATION -> "Complete output mode not supported when there are no streaming aggregations"
                    + " on streaming DataFrames/Datasets (the table of all rows would grow without bound)";
            case STREAM_STREAM_JOIN -> "Join between two streaming DataFrames/Datasets is not supported in "
                    + name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT)
                    + " output mode, only in Append output mode";
            case MAP_GROUPS_WITH_STATE -> "mapGroupsWithState is not supported with " + name().charAt(0)
                    + name().substring(1).toLowerCase(Locale.ROOT) + " output mode on a streaming DataFrame/Dataset";
        };
    }

    /** The mode named on the command line (null for the query's default), or a usage error with Spark's reason. */
    public static OutputMode choose(String name, Query query) {
        List<OutputMode> allowed = allowedFor(query);
        if (name == null) {
            return allowed.get(0);
        }
        OutputMode mode;
        try {
            mode = valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--output-mode " + name + " is not append, update or complete");
        }
        if (!allowed.contains(mode)) {
            throw new UsageException("--output-mode " + mode.cliName() + ": " + mode.refusalFor(query));
        }
        return mode;
    }
}
