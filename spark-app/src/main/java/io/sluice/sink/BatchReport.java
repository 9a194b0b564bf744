package io.sluice.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one micro-batch did. Every record read is in exactly one of: a silver table, the duplicates (copies dropped
 * by dedup, and late copies the MERGE found already in silver), or quarantine — {@link #balanced()} checks it.
 *
 * @param late records older than the watermark; under the merge policy they are in silverRows or duplicates,
 *         under the quarantine policy in quarantined
 * @param alreadyCommitted true when this batch had been written before a restart and was not written again
 */
public record BatchReport(
        long batchId,
        long recordsRead,
        Map<String, Long> silverRowsByTable,
        long duplicates,
        long late,
        long quarantined,
        List<ShardRange> shardRanges,
        Optional<Instant> maxArrivalTime,
        Optional<Instant> maxEventTime,
        Instant startedAt,
        Duration duration,
        boolean alreadyCommitted)
{
    public BatchReport
    {
        silverRowsByTable = Map.copyOf(requireNonNull(silverRowsByTable, "silverRowsByTable is null"));
        shardRanges = List.copyOf(requireNonNull(shardRanges, "shardRanges is null"));
        requireNonNull(maxArrivalTime, "maxArrivalTime is null");
        requireNonNull(maxEventTime, "maxEventTime is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(duration, "duration is null");
    }

    public long silverRows()
    {
        return silverRowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean balanced()
    {
        return recordsRead == silverRows() + duplicates + quarantined;
    }

    /**
     * The batch's freshness: how old the newest record it read (by Kinesis arrival time) was when the batch had made it
     * visible, i.e. when every table write but the audit row had committed ({@code duration} ends there).
     */
    public Optional<Duration> behind()
    {
        return maxArrivalTime.map(arrival -> Duration.between(arrival, startedAt.plus(duration))).map(d -> d.isNegative() ? Duration.ZERO : d);
    }

    /** The one line the job prints per micro-batch. */
    public String summaryLine()
    {
        return "batch %d | read %,d | silver %,d | duplicates %,d | late %,d | quarantined %,d | %,d ms | freshness %s%s%s".formatted(
                batchId, recordsRead, silverRows(), duplicates, late, quarantined, duration.toMillis(),
                behind().map(d -> "%.1f s".formatted(d.toMillis() / 1000.0)).orElse("-"),
                balanced() ? "" : " | UNBALANCED",
                alreadyCommitted ? " | replayed, already committed" : "");
    }
}
