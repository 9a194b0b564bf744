package io.sluice.sink;

import io.delta.exceptions.DeltaConcurrentModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Retries a Delta operation that lost a commit race. Delta's optimistic concurrency rejects a MERGE, UPDATE or
 * OPTIMIZE when a concurrent commit touched what it read (for example the stream's late-event MERGE and a backfill
 * in the same partition); nothing of the losing attempt is visible, so running it again against the new snapshot is
 * correct. Blind appends never conflict and need no retry.
 */
public final class ConcurrentCommits
{
    private static final Logger log = LoggerFactory.getLogger(ConcurrentCommits.class);

    private final int maxAttempts;
    private final Duration firstBackoff;

    public ConcurrentCommits(int maxAttempts, Duration firstBackoff)
    {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Invalid maxAttempts: " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoff = requireNonNull(firstBackoff, "firstBackoff is null");
    }

    /** Enough for a stream, a backfill and maintenance writing the same table at once. */
    public static ConcurrentCommits defaults()
    {
        return new ConcurrentCommits(10, Duration.ofMillis(200));
    }

    public <T> T run(String operation, Supplier<T> attempt)
    {
        requireNonNull(operation, "operation is null");
        requireNonNull(attempt, "attempt is null");
        for (int number = 1; ; number++) {
            try {
                return attempt.get();
            }
            catch (DeltaConcurrentModificationException e) {
                if (number >= maxAttempts) {
                    throw new IllegalStateException("Cannot commit %s: lost %d commit races in a row to concurrent writers; last: %s"
                            .formatted(operation, number, e.getMessage()), e);
                }
                long backoff = firstBackoff.toMillis() << Math.min(number - 1, 5);
                log.info("{} conflicted with a concurrent commit ({}); retrying in {} ms", operation, e.getClass().getSimpleName(), backoff);
                try {
                    Thread.sleep(backoff);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while retrying " + operation, interrupted);
                }
            }
        }
    }
}
