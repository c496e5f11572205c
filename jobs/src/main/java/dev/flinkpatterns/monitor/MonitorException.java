package dev.flinkpatterns.monitor;

/** A monitoring command could not do its work; the message is the one line the user sees. */
public class MonitorException extends RuntimeException {

    public MonitorException(String message) {
        super(message);
    }
}
