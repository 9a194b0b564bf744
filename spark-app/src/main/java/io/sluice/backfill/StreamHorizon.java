package io.sluice.backfill;

import io.sluice.table.SluiceTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;

/**
 * How far the stream writing a lake has got, from its audit rows. Events older than {@link #lateBefore()} can only
 * reach silver through the stream's late path, an insert-only MERGE that sees what a backfill wrote; events newer
 * than it may still be appended as on-time, without looking at silver. A backfill therefore stays below it.
 *
 * @param maxEventTime the newest event time any stream batch has seen
 * @param lastBatchStartedAt the start of the newest complete stream batch
 */
public record StreamHorizon(Optional<Instant> maxEventTime, Optional<Instant> lastBatchStartedAt, Duration watermarkDelay)
{
    public StreamHorizon
    {
        requireNonNull(maxEventTime, "maxEventTime is null");
        requireNonNull(lastBatchStartedAt, "lastBatchStartedAt is null");
        requireNonNull(watermarkDelay, "watermarkDelay is null");
    }

    public static StreamHorizon read(SparkSession spark, SluiceTables tables, Duration watermarkDelay)
    {
        Row row = spark.read().format("delta").load(tables.audit().location())
                .filter(not(col("query_id").startsWith(Backfill.RUN_PREFIX)).and(not(col("query_id").startsWith(QuarantineReplay.RUN_PREFIX))))
                .agg(max(col("max_event_time")), max(col("started_at")))
                .first();
        return new StreamHorizon(instant(row, 0), instant(row, 1), watermarkDelay);
    }

    /** The stream's watermark when it last wrote: events before it are late for the stream, whenever they arrive. */
    public Optional<Instant> lateBefore()
    {
        return maxEventTime.map(time -> time.minus(watermarkDelay));
    }

    private static Optional<Instant> instant(Row row, int index)
    {
        return row.isNullAt(index) ? Optional.empty() : Optional.of(((Timestamp) row.get(index)).toInstant());
    }
}
