package dev.flinkpatterns.combine;

import org.apache.flink.api.java.tuple.Tuple2;

/** Counts rows per key: partials are {@code (key, count)}, summed after the shuffle. */
public final class CountPerKey implements Combiner<String, String, long[], Tuple2<String, Long>> {

    @Override
    public String key(String row) {
        return row;
    }

    @Override
    public long[] create(String key) {
        return new long[1];
    }

    @Override
    public long[] add(long[] count, String row) {
        count[0]++;
        return count;
    }

    @Override
    public Tuple2<String, Long> partial(String key, long[] count) {
        return Tuple2.of(key, count[0]);
    }
}
