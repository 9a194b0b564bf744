package io.sluice.produce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Sends a feed to a writer at a target rate until a count or a duration is reached, whichever comes first.
 * Records go out in small batches paced against the wall clock, so a slow writer lowers the rate instead of
 * building an unbounded backlog.
 */
public final class Producer
{
    private static final int BATCH = 250;

    private final TennisFeed feed;
    private final RecordWriter writer;

    public Producer(TennisFeed feed, RecordWriter writer)
    {
        this.feed = requireNonNull(feed, "feed is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    /** How many records of each kind were sent. */
    public record Summary(Map<RecordKind, Long> byKind, Duration elapsed)
    {
        public Summary
        {
            byKind = Map.copyOf(byKind);
            requireNonNull(elapsed, "elapsed is null");
        }

        public long total()
        {
            return byKind.values().stream().mapToLong(Long::longValue).sum();
        }

        public long count(RecordKind.Fate fate)
        {
            return byKind.entrySet().stream().filter(entry -> entry.getKey().fate() == fate).mapToLong(Map.Entry::getValue).sum();
        }
    }

    /**
     * @param count stop after this many records, if present
     * @param duration stop after this long, if present
     * @param recordsPerSecond target rate; 0 for as fast as the writer takes them
     * @param progress told after each batch with the running total
     */
    public Summary run(Optional<Long> count, Optional<Duration> duration, double recordsPerSecond, Consumer<Long> progress)
    {
        if (count.isEmpty() && duration.isEmpty()) {
            throw new IllegalArgumentException("Cannot produce forever: give a count or a duration");
        }
        Map<RecordKind, Long> byKind = new EnumMap<>(RecordKind.class);
        long start = System.nanoTime();
        long deadline = duration.map(d -> start + d.toNanos()).orElse(Long.MAX_VALUE);
        long limit = count.orElse(Long.MAX_VALUE);
        long sent = 0;
        while (sent < limit && System.nanoTime() < deadline) {
            int size = (int) Math.min(BATCH, limit - sent);
            if (recordsPerSecond > 0) {
                // A batch of one tenth of a second at most, so the rate is smooth at low targets too.
                size = (int) Math.max(1, Math.min(size, recordsPerSecond / 10));
            }
            List<ProducedRecord> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                ProducedRecord record = feed.next();
                batch.add(record);
                byKind.merge(record.kind(), 1L, Long::sum);
            }
            writer.write(batch);
            sent += size;
            progress.accept(sent);
            if (recordsPerSecond > 0) {
                long due = start + (long) (sent * 1_000_000_000.0 / recordsPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        return new Summary(byKind, Duration.ofNanos(System.nanoTime() - start));
    }
}
