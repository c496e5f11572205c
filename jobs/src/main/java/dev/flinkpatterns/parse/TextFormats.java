package dev.flinkpatterns.parse;

import dev.flinkpatterns.io.RowSchema;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Spark's {@code timestampFormat} and {@code dateFormat} reader options: how a text field holds a TIMESTAMP or a
 * DATE. Spark's datetime patterns ({@code yyyy-MM-dd HH:mm:ss}, {@code dd/MM/yyyy HH:mm},
 * {@code MM/dd/yyyy'T'HH:mm:ss.SSS}) are java.time patterns with the same letters; {@code y} is the year (Spark's
 * meaning, java.time's {@code u}), and dates are checked (no 31 February). Without a pattern, a timestamp is
 * what the project's data writes (ISO-8601, {@code T} or a space, optional fraction; {@link Timestamps}) and a date
 * is ISO {@code yyyy-MM-dd}. A timestamp pattern without a time of day gives midnight.
 */
public record TextFormats(String timestampFormat, String dateFormat) implements Serializable {

    public static final TextFormats DEFAULT = new TextFormats(null, null);

    /** Built once per pattern and JVM: a formatter is immutable, a pattern costs more to compile than a row to parse. */
    private static final java.util.Map<String, DateTimeFormatter> FORMATTERS = new java.util.concurrent.ConcurrentHashMap<>();

    public TextFormats {
        formatter("timestampFormat", timestampFormat);
        formatter("dateFormat", dateFormat);
    }

    public LocalDateTime timestamp(String column, String text) throws MalformedRecordException {
        if (timestampFormat == null) {
            return RowSchema.time(column, text);
        }
        TemporalAccessor parsed = parse(column, text, timestampFormat, "timestamp");
        LocalDate date = LocalDate.from(parsed);
        if (!parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            return date.atStartOfDay();
        }
        return LocalDateTime.of(date, java.time.LocalTime.from(parsed));
    }

    public LocalDate date(String column, String text) throws MalformedRecordException {
        if (dateFormat == null) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw new MalformedRecordException(column + ": date is not an ISO-8601 date (yyyy-MM-dd): '" + text + "'");
            }
        }
        return LocalDate.from(parse(column, text, dateFormat, "date"));
    }

    /** Whether {@code text} is a timestamp of this format (schema inference). */
    public boolean isTimestamp(String text) {
        try {
            timestamp("", text);
            return true;
        } catch (MalformedRecordException | DateTimeException e) {
            return false;
        }
    }

    /** Whether {@code text} is a date of the date format (schema inference). */
    public boolean isDate(String text) {
        try {
            date("", text);
            return true;
        } catch (MalformedRecordException | DateTimeException e) {
            return false;
        }
    }

    private TemporalAccessor parse(String column, String text, String pattern, String what)
            throws MalformedRecordException {
        try {
            return FORMATTERS.computeIfAbsent(pattern, p -> formatter(null, p)).parse(text);
        } catch (DateTimeException e) {
            throw new MalformedRecordException(column + ": " + what + " does not match the pattern '" + pattern
                    + "': '" + text + "'");
        }
    }

    /** The java.time formatter of a Spark pattern; a bad pattern is an {@link IllegalArgumentException} naming the option. */
    private static DateTimeFormatter formatter(String option, String pattern) {
        if (pattern == null) {
            return null;
        }
        try {
            // Spark's y is the proleptic year; java.time's y is the year of an era, which STRICT resolving needs G for.
            return DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.US).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + pattern + "' is not a datetime pattern: " + e.getMessage());
        }
    }
}
