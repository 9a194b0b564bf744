package io.sluice.cli;

import io.sluice.backfill.TimeRange;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** The options that pick what a batch command reprocesses: a time range, datasets, and whether to write at all. */
final class RangeOptions
{
    @Option(names = "--from", required = true, converter = InstantConverter.class, paramLabel = "TIME",
            description = "Start of the range, inclusive: 2026-11-20T06:00:00Z, or 2026-11-20 for its UTC midnight")
    Instant from;

    @Option(names = "--to", required = true, converter = InstantConverter.class, paramLabel = "TIME", description = "End of the range, exclusive")
    Instant to;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Only this dataset (contract name, e.g. tennis.serve); repeatable. Default: all")
    Set<String> datasets = new LinkedHashSet<>();

    @Option(names = "--dry-run", description = "Read, validate and count; write nothing")
    boolean dryRun;

    TimeRange range()
    {
        return new TimeRange(from, to);
    }
}
