package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.time.WatermarkSettings.Policy;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --watermark-policy}: Flink's periodic watermark or Spark's micro-batch rule, for the patterns that honour it. */
public final class WatermarkPolicyOptions {

    @Option(names = "--watermark-policy", paramLabel = "POLICY", converter = PolicyConverter.class,
            description = "periodic: Flink's watermark, moved every 200 ms (or after every row); spark: Spark's "
                    + "micro-batch rule under --trigger available-now: the files are read in batches (one file, or "
                    + "--max-files-per-trigger N), the watermark moves only between batches, batch N's late rows are "
                    + "judged by the watermark after batch N-2, and the end of the input closes no open window or "
                    + "state. Default: ${DEFAULT-VALUE}.")
    Policy policy = Policy.PERIODIC;

    /**
     * Checks the policy against the other options and hands it to the watermark and the file reader ({@code input}:
     * null when the rows do not come from files).
     */
    void apply(EventTimeOptions eventTime, FileInputOptions input, Trigger trigger) {
        eventTime.policy = policy;
        if (policy != Policy.SPARK) {
            return;
        }
        if (eventTime.watermark == null) {
            throw new UsageException("--watermark-policy spark needs --watermark");
        }
        checkSpark(trigger, eventTime.everyEvent);
        if (input == null) {
            throw new UsageException("--watermark-policy spark reads files in micro-batches; Kafka, rate and Paimon rows have none");
        }
        if (!eventTime.allowedLateness.isZero()) {
            throw new UsageException("--allowed-lateness is Flink's; --watermark-policy spark drops late rows as Spark does");
        }
        input.inMicroBatches = true;
    }

    /** Whether the spark policy was chosen; then checked against the trigger and the watermark's other options. */
    boolean spark(Trigger trigger, boolean everyEvent) {
        if (policy != Policy.SPARK) {
            return false;
        }
        checkSpark(trigger, everyEvent);
        return true;
    }

    /** The spark policy is built on DataStream operators; the command's SQL variant has none. */
    void refuseWithSqlApi(Api api) {
        if (policy == Policy.SPARK && api == Api.SQL) {
            throw new UsageException("--watermark-policy spark is for --api datastream");
        }
    }

    private static void checkSpark(Trigger trigger, boolean everyEvent) {
        if (trigger.kind() != Trigger.Kind.AVAILABLE_NOW) {
            throw new UsageException("--watermark-policy spark needs --trigger available-now: Spark's micro-batches "
                    + "over the files that exist when the job starts");
        }
        if (everyEvent) {
            throw new UsageException("--watermark-every-event is the periodic policy's; --watermark-policy spark moves "
                    + "the watermark between batches");
        }
    }

    static final class PolicyConverter implements ITypeConverter<Policy> {
        @Override
        public Policy convert(String value) {
            try {
                return Policy.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not periodic or spark");
            }
        }
    }
}
