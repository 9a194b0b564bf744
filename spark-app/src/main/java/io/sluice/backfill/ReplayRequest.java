package io.sluice.backfill;

import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What to replay: quarantined records whose ingest time is in the range and that no replay has moved yet.
 *
 * @param datasets the datasets whose quarantined records to replay; empty for all
 */
public record ReplayRequest(TimeRange range, Set<String> datasets, boolean dryRun)
{
    public ReplayRequest
    {
        requireNonNull(range, "range is null");
        datasets = java.util.Collections.unmodifiableSet(new TreeSet<>(requireNonNull(datasets, "datasets is null")));
    }
}
