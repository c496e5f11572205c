package dev.flinkpatterns.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Event timestamps as the data writes them ({@code 2024-01-15T10:00:03.123456}, a local date-time read as
 * UTC; a space may stand for the {@code T}, the fraction is optional) to epoch milliseconds, and back to
 * Spark's display form. Parsed by hand: {@code LocalDateTime.parse} costs more than the rest of a row.
 */
public final class Timestamps {

    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter DISPLAY_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private Timestamps() {}

    /**
     * Epoch milliseconds (UTC) of an ISO-8601 local date-time; sub-millisecond digits are dropped. A final {@code Z}
     * (UTC, as Spark's JSON and CSV writers and the sinks here write timestamps) is allowed.
     */
    public static long parseMillis(String text) throws MalformedRecordException {
        int n = text.length() > 19 && text.charAt(text.length() - 1) == 'Z' ? text.length() - 1 : text.length();
        if (n < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) != 'T' && text.charAt(10) != ' ')
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            throw invalid(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = 0;
        if (n > 19) {
            if (text.charAt(19) != '.' || n == 20 || n > 29) {
                throw invalid(text);
            }
            for (int i = 20; i < n; i++) {
                int d = text.charAt(i) - '0';
                if (d < 0 || d > 9) {
                    throw invalid(text);
                }
                if (i < 23) {
                    millis = millis * 10 + d;
                }
            }
            for (int i = Math.min(n, 23); i < 23; i++) {
                millis *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            throw invalid(text);
        }
        if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            throw invalid(text);
        }
        long days = epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** Spark's display of a timestamp: {@code 2024-01-15 10:05:00}, with milliseconds only when there are some. */
    public static String display(long epochMillis) {
        LocalDateTime time = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
        return (epochMillis % 1000 == 0 ? DISPLAY : DISPLAY_MILLIS).format(time);
    }

    private static int digits(String text, int start, int count) throws MalformedRecordException {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw invalid(text);
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (as {@code LocalDate.toEpochDay}). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!java.time.Year.isLeap(year)) {
                total--;
            }
        }
        return total - 719528; // days from year 0 to 1970
    }

    private static MalformedRecordException invalid(String text) {
        return new MalformedRecordException("timestamp is not an ISO-8601 date-time: '" + text + "'");
    }
}
