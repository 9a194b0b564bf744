package io.sluice.backfill;

import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a backfill did. Every record read in the range is in exactly one of: inserted into silver, already in silver
 * (the stream or an earlier run wrote it), a duplicate within the input, inserted into quarantine, or already in
 * quarantine — {@link #balanced()} checks it. A dry run counts what it would write as inserted.
 */
public record BackfillResult(
        long recordsRead,
        Map<String, Long> silverInsertedByTable,
        long silverAlreadyPresent,
        long duplicates,
        long quarantined,
        long quarantineAlreadyPresent,
        int slices,
        Duration duration,
        int cores,
        boolean dryRun)
{
    public BackfillResult
    {
        silverInsertedByTable = Map.copyOf(requireNonNull(silverInsertedByTable, "silverInsertedByTable is null"));
        requireNonNull(duration, "duration is null");
    }

    public long silverInserted()
    {
        return silverInsertedByTable.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean balanced()
    {
        return recordsRead == silverInserted() + silverAlreadyPresent + duplicates + quarantined + quarantineAlreadyPresent;
    }

    public double recordsPerSecond()
    {
        return recordsRead / Math.max(duration.toMillis() / 1000.0, 0.001);
    }

    /** The accounting line printed at the end of a run. */
    public String summaryLine()
    {
        return "%sread %,d = silver %,d new + %,d already there + duplicates %,d + quarantined %,d new + %,d already there%s | %d slice%s | %.1f s | %,.0f records/s (%,.0f per core)"
                .formatted(dryRun ? "dry run, nothing written: " : "", recordsRead, silverInserted(), silverAlreadyPresent, duplicates, quarantined,
                        quarantineAlreadyPresent, balanced() ? "" : " | UNBALANCED", slices, slices == 1 ? "" : "s", duration.toMillis() / 1000.0,
                        recordsPerSecond(), recordsPerSecond() / Math.max(cores, 1));
    }
}
