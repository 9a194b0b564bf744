package io.sluice.produce;

import io.sluice.config.UsageException;

import java.time.Duration;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * How the tennis feed is generated. The same options and seed give the same records, byte for byte.
 *
 * @param eventsPerSecond how fast event time advances: record i has time {@code startTime + i / eventsPerSecond}
 * @param lateBy how far behind the feed's clock a LATE event's time is
 * @param oversizedBytes payload size of an OVERSIZED record
 */
public record FeedOptions(
        long seed,
        int matches,
        Instant startTime,
        double eventsPerSecond,
        double duplicateFraction,
        double outOfOrderFraction,
        double lateFraction,
        Duration lateBy,
        double invalidFraction,
        int oversizedBytes)
{
    public FeedOptions
    {
        checkArgument(matches >= 1 && matches <= 9999, "Invalid match count: %s (expected 1 to 9999)", matches);
        requireNonNull(startTime, "startTime is null");
        checkArgument(eventsPerSecond > 0, "Invalid events per second: %s", eventsPerSecond);
        checkFraction("duplicate", duplicateFraction);
        checkFraction("out-of-order", outOfOrderFraction);
        checkFraction("late", lateFraction);
        checkFraction("invalid", invalidFraction);
        checkArgument(duplicateFraction + outOfOrderFraction + lateFraction + invalidFraction <= 1.0,
                "Invalid fractions: duplicate + out-of-order + late + invalid must be at most 1");
        requireNonNull(lateBy, "lateBy is null");
        checkArgument(!lateBy.isNegative(), "Invalid late-by: %s", lateBy);
        checkArgument(oversizedBytes > 0, "Invalid oversized size: %s", oversizedBytes);
    }

    /** A clean feed: no duplicates, no late or invalid records. */
    public static FeedOptions clean(long seed, Instant startTime)
    {
        return new FeedOptions(seed, 4, startTime, 1000, 0, 0, 0, Duration.ZERO, 0, 300_000);
    }

    private static void checkFraction(String name, double value)
    {
        checkArgument(value >= 0 && value <= 1, "Invalid %s fraction: %s (expected 0 to 1)", name, value);
    }

    private static void checkArgument(boolean condition, String format, Object... arguments)
    {
        if (!condition) {
            throw new UsageException(format.formatted(arguments));
        }
    }
}
