package dev.flinkpatterns.generator;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Random;

/**
 * Two CSV streams written batch by batch, where rows of the second (purchases, shipments) follow rows of the first
 * (clicks, orders): each lead row may schedule follow-up rows at its own time or later. {@link BatchFileGenerator}
 * writes a follow-up row into the first batch whose newest lead timestamp has reached the row's time (the last
 * batch takes every row still pending), so both streams advance together in event time and neither runs ahead of
 * the other's watermark. Follow-up rows are {@code time,id,fields...}, their ids counting in the order written.
 */
public abstract class RelatedRows {

    /** One of the two streams: files {@code <fileStem>_N.csv} with a header. */
    public record Stream(String fileStem, String header) {
        public String extension() {
            return "csv";
        }
    }

    /** Where a lead row schedules the rows that follow it. */
    @FunctionalInterface
    public interface FollowUps {
        /** A follow-up row at {@code time}; {@code fieldsAfterId} is the row without its time and id. */
        void add(LocalDateTime time, String fieldsAfterId);
    }

    /** Makes the lead rows of one run; state it keeps (who clicked when) lives for that run only. */
    @FunctionalInterface
    public interface LeadRows {
        String row(long rowNumber, LocalDateTime timestamp, Random random, FollowUps followUps);
    }

    private final Stream lead;
    private final Stream follower;
    private final String followerIdFormat;

    /** {@code followerIdFormat}: {@link String#format} of the follow-up's number (1, 2, ...), e.g. {@code pu-%06d}. */
    RelatedRows(Stream lead, Stream follower, String followerIdFormat) {
        this.lead = lead;
        this.follower = follower;
        this.followerIdFormat = followerIdFormat;
    }

    public final Stream lead() {
        return lead;
    }

    public final Stream follower() {
        return follower;
    }

    final String followerId(long number) {
        return String.format(Locale.ROOT, followerIdFormat, number);
    }

    /** A fresh lead-row maker for one run. */
    public abstract LeadRows newRun();

    /** A good lead row turned into one of the malformed kinds, picked with {@code random}. */
    public abstract String corruptLead(String goodRow, Random random);

    /** A good follow-up row turned into one of the malformed kinds, picked with {@code random}. */
    public abstract String corruptFollower(String goodRow, Random random);
}
