package dev.flinkpatterns.io;

/** A record that could not be used: where it came from, its original text and why it was refused. */
public record DeadLetter(String source, long line, String record, String reason) {

    public static DeadLetter of(SourceLine line, String reason) {
        return new DeadLetter(line.source(), line.line(), line.text(), reason);
    }

    /** One JSON object per line, with the fields of Spark's {@code badRecordsPath} files plus the line number. */
    public String toJson() {
        return "{\"path\":" + Json.quote(source) + ",\"line\":" + line + ",\"record\":" + Json.quote(record)
                + ",\"reason\":" + Json.quote(reason) + "}";
    }
}
