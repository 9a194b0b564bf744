package io.sluice.backfill;

import io.sluice.config.UsageException;

import org.apache.spark.sql.Column;

import java.sql.Timestamp;
import java.time.Instant;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.lit;

/** A half-open time range [from, to): what a backfill or a replay reprocesses. */
public record TimeRange(Instant from, Instant to)
{
    public TimeRange
    {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (!from.isBefore(to)) {
            throw new UsageException("Invalid time range: --from %s is not before --to %s".formatted(from, to));
        }
    }

    /** True where the timestamp column lies in the range. */
    public Column contains(Column timestamp)
    {
        return timestamp.geq(lit(Timestamp.from(from))).and(timestamp.lt(lit(Timestamp.from(to))));
    }

    @Override
    public String toString()
    {
        return "[" + from + ", " + to + ")";
    }
}
