package io.sluice.stream;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the micro-batch function is doing, for {@link GracefulStop}. The dedup operator's timeouts make Spark run a
 * batch at every trigger, data or not, so "between batches" barely exists; what a graceful stop must not cut short is
 * a batch that has records to write. A batch without records writes nothing and may be interrupted.
 */
public final class BatchActivity
{
    private enum State
    {
        IDLE, STARTED, WRITING, NO_DATA
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);
    private final AtomicLong lastWritten = new AtomicLong(-1);

    void started()
    {
        state.set(State.STARTED);
    }

    void writing()
    {
        state.set(State.WRITING);
    }

    void noData()
    {
        state.set(State.NO_DATA);
    }

    void finished(long batchId)
    {
        if (state.getAndSet(State.IDLE) == State.WRITING) {
            lastWritten.accumulateAndGet(batchId, Math::max);
        }
    }

    /**
     * The id of the last batch that wrote records, or -1. Spark records a batch in the checkpoint's commit log after
     * the batch function returns, so a stop must also wait for the query's progress to reach this batch.
     */
    public long lastWrittenBatch()
    {
        return lastWritten.get();
    }

    /** True while a batch is running that has (or may have) records to write. */
    public boolean busy()
    {
        State current = state.get();
        return current == State.STARTED || current == State.WRITING;
    }
}
