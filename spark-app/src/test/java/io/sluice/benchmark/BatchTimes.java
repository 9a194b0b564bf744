package io.sluice.benchmark;

import org.apache.spark.sql.streaming.StreamingQueryListener;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each micro-batch of each query was triggered and how long it took, from the queries' progress events: the
 * trigger time is when a batch began to wait for nothing but itself (offsets, planning, reading, writing).
 */
final class BatchTimes
        extends StreamingQueryListener
{
    /**
     * @param triggerMillis the batch's trigger time (progress {@code timestamp}), epoch milliseconds
     * @param durationMillis {@code durationMs.triggerExecution}: the whole batch, offsets to commit
     * @param phases the progress's {@code durationMs}: latestOffset, queryPlanning, addBatch, walCommit, commitOffsets, ...
     */
    record Batch(long triggerMillis, long durationMillis, long inputRows, Map<String, Long> phases)
    {
        Batch
        {
            phases = Map.copyOf(phases);
        }
    }

    private final Map<UUID, Map<Long, Batch>> byQuery = new ConcurrentHashMap<>();

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event)
    {
        var progress = event.progress();
        Batch batch = new Batch(Instant.parse(progress.timestamp()).toEpochMilli(),
                progress.durationMs().getOrDefault("triggerExecution", 0L), progress.numInputRows(), progress.durationMs());
        byQuery.computeIfAbsent(progress.id(), id -> new ConcurrentHashMap<>()).put(progress.batchId(), batch);
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}

    /** The batches of one query seen so far, by batch id; a live view. */
    Map<Long, Batch> of(UUID queryId)
    {
        return byQuery.computeIfAbsent(queryId, id -> new ConcurrentHashMap<>());
    }

    Optional<Batch> batch(UUID queryId, long batchId)
    {
        return Optional.ofNullable(of(queryId).get(batchId));
    }
}
