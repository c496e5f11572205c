package dev.flinkpatterns.run;

/**
 * A service started beside one local run ({@code --kafka embedded}, {@code --postgres embedded}): where to reach it,
 * and {@link #close()}, which stops it and drops its data.
 *
 * @param <A> how to reach it: a bootstrap address, a JDBC connection
 */
public interface LocalService<A> extends AutoCloseable {

    A address();

    @Override
    void close();

    static <A> LocalService<A> of(A address, Runnable stop) {
        return new LocalService<>() {
            @Override
            public A address() {
                return address;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }
}
