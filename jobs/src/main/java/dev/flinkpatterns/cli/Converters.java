package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.Durations;
import dev.flinkpatterns.core.Trigger;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values in Spark's vocabulary; a bad value is a one-line usage error. */
final class Converters {

    private Converters() {}

    /** A parser's IllegalArgumentException as picocli's conversion error, so its message is the one line shown. */
    private static <T> T parsed(String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static final class TriggerConverter implements ITypeConverter<Trigger> {
        @Override
        public Trigger convert(String value) {
            return parsed(value, Trigger::parse);
        }
    }

    static final class ApiConverter implements ITypeConverter<Api> {
        @Override
        public Api convert(String value) {
            return parsed(value, Api::parse);
        }
    }

    static final class JoinTypeConverter implements ITypeConverter<dev.flinkpatterns.patterns.joins.JoinType> {
        @Override
        public dev.flinkpatterns.patterns.joins.JoinType convert(String value) {
            return parsed(value, dev.flinkpatterns.patterns.joins.JoinType::parse);
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parsed(value, Durations::parse);
        }
    }

    /** {@code --delivery}: at-least-once or exactly-once. */
    static final class DeliveryConverter implements ITypeConverter<DeliveryGuarantee> {
        /** How --delivery names a guarantee. */
        static String cliName(DeliveryGuarantee guarantee) {
            return guarantee.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public DeliveryGuarantee convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
                case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
                default -> throw new TypeConversionException("'" + value + "' is not at-least-once or exactly-once");
            };
        }
    }

    /** Spark's {@code truncate}: true (20 characters), false (whole values) or a number of characters. */
    static final class TruncateConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.equals("true")) {
                return 20;
            }
            if (text.equals("false")) {
                return 0;
            }
            try {
                int characters = Integer.parseInt(text);
                if (characters >= 0) {
                    return characters;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
            throw new TypeConversionException("'" + value + "' is not true, false or a number of characters");
        }
    }

    /** A size in bytes: {@code 4096}, {@code 64kb}, {@code 1mb} (Flink's memory sizes), at least 1 byte and below 2 GiB. */
    static final class ByteSizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long bytes;
            try {
                bytes = MemorySize.parseBytes(value.trim());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a size in bytes (e.g. 4096, 64kb, 1mb)");
            }
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 16) {
                throw new TypeConversionException("'" + value + "' must be at least 1 byte and below 2 GiB");
            }
            return (int) bytes;
        }
    }

    static final class DateTimeConverter implements ITypeConverter<LocalDateTime> {
        @Override
        public LocalDateTime convert(String value) {
            try {
                return LocalDateTime.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a date-time like 2025-07-15T15:03:00");
            }
        }
    }
}
