package dev.flinkpatterns.parse;

/** A record that does not fit its schema; the message is the reason a dead letter carries. */
public class MalformedRecordException extends Exception {
    public MalformedRecordException(String reason) {
        super(reason, null, false, false);
    }
}
