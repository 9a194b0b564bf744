package io.sluice.backfill;

import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a replay did. Each quarantined record re-validated either passes now (and is in silver: moved by this run,
 * or there already) or still fails and stays in quarantine as it was.
 *
 * @param marked quarantine rows marked {@code replayed}: the passing records
 */
public record ReplayResult(long recordsRead, Map<String, Long> movedByTable, long alreadyInSilver, long stillFailing, long marked,
        Duration duration, boolean dryRun)
{
    public ReplayResult
    {
        movedByTable = Map.copyOf(requireNonNull(movedByTable, "movedByTable is null"));
        requireNonNull(duration, "duration is null");
    }

    public long moved()
    {
        return movedByTable.values().stream().mapToLong(Long::longValue).sum();
    }

    public long passing()
    {
        return moved() + alreadyInSilver;
    }

    public boolean balanced()
    {
        return recordsRead == passing() + stillFailing;
    }

    public String summaryLine()
    {
        return "%sre-validated %,d quarantined records: %,d now pass (%,d moved to silver, %,d already there; %,d marked replayed), %,d still fail%s | %.1f s"
                .formatted(dryRun ? "dry run, nothing written: " : "", recordsRead, passing(), moved(), alreadyInSilver, marked, stillFailing,
                        balanced() ? "" : " | UNBALANCED", duration.toMillis() / 1000.0);
    }
}
