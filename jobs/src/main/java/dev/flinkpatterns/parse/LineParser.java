package dev.flinkpatterns.parse;

import dev.flinkpatterns.io.SourceLine;
import java.io.Serializable;
import java.util.Optional;

/**
 * Turns a line into a typed record: empty for a line that holds no record (a CSV header, a blank line of a CSV or
 * JSON file: neither counted as read nor a dead letter), an exception for a bad one.
 */
@FunctionalInterface
public interface LineParser<T> extends Serializable {
    Optional<T> parse(SourceLine line) throws MalformedRecordException;
}
