package dev.flinkpatterns.generator;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The batches of a run of {@link RelatedRows}: lead rows on the run's timeline, follow-up rows held until the
 * newest lead timestamp reaches them, then written in time order and moved by the skew on a timeline of their own.
 */
final class RelatedBatches {

    private record Pending(LocalDateTime time, long order, String fieldsAfterId) {}

    private static final Comparator<Pending> BY_TIME = Comparator.comparing(Pending::time).thenComparingLong(Pending::order);

    private final GeneratorSettings settings;
    private final RelatedRows related;
    private final Random random;
    private final EventTimeline leadTimeline;
    private final EventTimeline followerTimeline;
    private final RelatedRows.LeadRows leadRows;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(BY_TIME);
    private long scheduled;
    private long followersWritten;

    RelatedBatches(GeneratorSettings settings, RelatedRows related, Random random, EventTimeline leadTimeline,
            Supplier<LocalDateTime> clock) {
        this.settings = settings;
        this.related = related;
        this.random = random;
        this.leadTimeline = leadTimeline;
        this.followerTimeline = new EventTimeline(settings, clock, random);
        this.leadRows = related.newRun();
    }

    List<String> render(int fileNumber, boolean lastFile) {
        StringBuilder leads = new StringBuilder(related.lead().header()).append('\n');
        for (int row = 0; row < settings.rowsPerFile(); row++) {
            long rowNumber = (long) fileNumber * settings.rowsPerFile() + row;
            LocalDateTime timestamp = leadTimeline.timestampOf(fileNumber, row);
            String line = leadRows.row(rowNumber, timestamp, random,
                    (time, fields) -> pending.add(new Pending(time, scheduled++, fields)));
            if (BatchFileGenerator.isMalformed(settings, random)) {
                line = related.corruptLead(line, random);
            }
            leads.append(line).append('\n');
        }
        StringBuilder followers = new StringBuilder(related.follower().header()).append('\n');
        LocalDateTime now = leadTimeline.newest();
        while (!pending.isEmpty() && (lastFile || !pending.peek().time().isAfter(now))) {
            Pending next = pending.poll();
            LocalDateTime time = followerTimeline.skewed(next.time());
            String line = EventTimeline.TIMESTAMP_FORMAT.format(time) + "," + related.followerId(++followersWritten)
                    + "," + next.fieldsAfterId();
            if (BatchFileGenerator.isMalformed(settings, random)) {
                line = related.corruptFollower(line, random);
            }
            followers.append(line).append('\n');
        }
        return List.of(leads.toString(), followers.toString());
    }
}
