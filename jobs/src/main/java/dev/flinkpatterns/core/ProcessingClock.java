package dev.flinkpatterns.core;

import java.io.Serializable;

/** Spark's {@code current_timestamp()} for DataStream jobs: the wall clock, or a fixed one in tests. */
@FunctionalInterface
public interface ProcessingClock extends Serializable {

    ProcessingClock SYSTEM = System::currentTimeMillis;

    long currentTimeMillis();

    static ProcessingClock fixed(long epochMillis) {
        return () -> epochMillis;
    }
}
