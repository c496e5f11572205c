package dev.flinkpatterns.combine;

import java.io.Serializable;

/**
 * How rows are combined per key in memory before a shuffle: the key of a row, a fresh accumulator, adding a
 * row, and the partial result sent on. Accumulators stay in the combining subtask and are never shared.
 */
public interface Combiner<IN, K, ACC, OUT> extends Serializable {

    K key(IN row);

    ACC create(K key);

    /** Adds the row; returns the accumulator to keep (the one given, updated, or a new one). */
    ACC add(ACC accumulator, IN row);

    OUT partial(K key, ACC accumulator);

    /** The event time of a partial; {@link Long#MIN_VALUE}: none (the partial carries no timestamp). */
    default long timestamp(K key) {
        return Long.MIN_VALUE;
    }
}
