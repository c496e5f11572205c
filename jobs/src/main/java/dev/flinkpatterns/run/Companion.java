package dev.flinkpatterns.run;

/** Work that runs beside a job in the launching JVM (the demo's generator) and stops with it. */
public interface Companion {
    String name();

    /** Runs until done or interrupted. */
    void run() throws Exception;
}
