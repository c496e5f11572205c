package dev.flinkpatterns.core;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way Spark and Flink users write them: {@code 5s}, {@code 500ms}, {@code 10 seconds}, {@code 1 minute}. */
public final class Durations {

    private static final Pattern DURATION =
            Pattern.compile("(\\d+)\\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)");

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2);
        if (unit.startsWith("ms") || unit.startsWith("milli")) {
            return Duration.ofMillis(amount);
        }
        return switch (unit.charAt(0)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** {@code 5s}, {@code 250ms}, {@code 2m}: the shortest exact form. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
