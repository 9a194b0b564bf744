package io.sluice.backfill;

import io.sluice.config.UsageException;

import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What to backfill.
 *
 * @param datasets the datasets (contract names) to reprocess; empty for all, including records no contract claims
 * @param sliceRecords about how many records each unit of work (one MERGE per table) holds; a unit is a run of whole
 *         event-time hours, so progress is reported, and memory bounded, per unit
 * @param ignoreStreamHorizon backfill beyond the stream's watermark; only safe when no stream writes these tables
 */
public record BackfillRequest(TimeRange range, BackfillSource source, Set<String> datasets, boolean dryRun, long sliceRecords,
        boolean ignoreStreamHorizon)
{
    public static final long DEFAULT_SLICE_RECORDS = 2_000_000;

    public BackfillRequest
    {
        requireNonNull(range, "range is null");
        requireNonNull(source, "source is null");
        datasets = java.util.Collections.unmodifiableSet(new TreeSet<>(requireNonNull(datasets, "datasets is null")));
        if (sliceRecords < 1) {
            throw new UsageException("Invalid --slice-records: %d; use a positive number of records".formatted(sliceRecords));
        }
    }
}
