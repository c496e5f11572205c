package dev.flinkpatterns.core;

/** A bad invocation: the CLI prints its message as one line on stderr and exits with code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
