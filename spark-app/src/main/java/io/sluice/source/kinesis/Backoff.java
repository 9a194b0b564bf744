package io.sluice.source.kinesis;

import java.io.Serializable;
import java.time.Duration;
import java.util.random.RandomGenerator;

import static java.util.Objects.requireNonNull;

/**
 * Bounded exponential backoff with jitter: the delay before retry {@code n} (1-based) is drawn uniformly from
 * {@code [cap/2, cap]} where {@code cap = min(maxDelay, initialDelay * 2^(n-1))}. Half of the cap is kept so a
 * throttled shard really backs off; the random half spreads the retries of many tasks apart.
 */
public record Backoff(Duration initialDelay, Duration maxDelay, int maxRetries)
        implements Serializable
{
    public Backoff
    {
        requireNonNull(initialDelay, "initialDelay is null");
        requireNonNull(maxDelay, "maxDelay is null");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("Invalid initialDelay: " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("Invalid maxDelay: %s is less than initialDelay %s".formatted(maxDelay, initialDelay));
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("Invalid maxRetries: " + maxRetries);
        }
    }

    public Duration cap(int retry)
    {
        if (retry < 1) {
            throw new IllegalArgumentException("Invalid retry: " + retry);
        }
        long initial = initialDelay.toMillis();
        int shift = Math.min(retry - 1, 30);
        long cap = initial > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : initial << shift;
        return Duration.ofMillis(Math.min(cap, maxDelay.toMillis()));
    }

    public Duration delay(int retry, RandomGenerator random)
    {
        long cap = cap(retry).toMillis();
        long floor = cap / 2;
        return Duration.ofMillis(floor + random.nextLong(cap - floor + 1));
    }
}
