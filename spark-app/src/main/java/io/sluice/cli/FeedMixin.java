package io.sluice.cli;

import io.sluice.config.UsageException;

import io.sluice.config.DurationFormat;
import io.sluice.produce.FeedOptions;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;

/** The generator's options, shared by {@code produce} and {@code demo}. */
final class FeedMixin
{
    @Option(names = "--seed", defaultValue = "42", description = "Random seed; the same seed and start time give the same records (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--matches", defaultValue = "8", description = "Concurrent matches (default: ${DEFAULT-VALUE})")
    int matches;

    @Option(names = "--start-time", description = "Event time of the first record, ISO-8601 (default: now)")
    Instant startTime;

    @Option(names = "--duplicates", defaultValue = "0.05", description = "Fraction of exact re-sends of an earlier event (default: ${DEFAULT-VALUE})")
    double duplicates;

    @Option(names = "--out-of-order", defaultValue = "0.05", description = "Fraction of events up to 30 s older than the feed's clock (default: ${DEFAULT-VALUE})")
    double outOfOrder;

    @Option(names = "--late", defaultValue = "0.02", description = "Fraction of events older than the feed's clock by --late-by (default: ${DEFAULT-VALUE})")
    double late;

    @Option(names = "--late-by", defaultValue = "20m", description = "How late a late event is (default: ${DEFAULT-VALUE}, twice the default watermark)")
    String lateBy;

    @Option(names = "--invalid", defaultValue = "0.03",
            description = "Fraction of invalid records: malformed JSON, missing field, wrong type, unknown type or version, oversized (default: ${DEFAULT-VALUE})")
    double invalid;

    @Option(names = "--oversized-bytes", defaultValue = "300000", description = "Size of an oversized record's padding (default: ${DEFAULT-VALUE})")
    int oversizedBytes;

    FeedOptions options(double eventsPerSecond)
    {
        Duration late = DurationFormat.parse(lateBy)
                .orElseThrow(() -> new UsageException("Invalid --late-by: '%s' (expected a duration such as 90s or 20m)".formatted(lateBy)));
        return new FeedOptions(seed, matches, startTime == null ? Instant.now() : startTime, eventsPerSecond > 0 ? eventsPerSecond : 1000,
                duplicates, outOfOrder, this.late, late, invalid, oversizedBytes);
    }
}
