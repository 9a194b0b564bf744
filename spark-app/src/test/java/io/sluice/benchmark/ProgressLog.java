package io.sluice.benchmark;

import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Prints every micro-batch that read data as it finishes: on a loaded machine a run can take many minutes, and an
 * interrupted benchmark should still leave its batch durations behind.
 */
final class ProgressLog
        extends StreamingQueryListener
{
    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event)
    {
        var progress = event.progress();
        if (progress.numInputRows() > 0) {
            System.out.printf("    batch %d: %,d records, %,d ms (addBatch %,d ms)%n", progress.batchId(), progress.numInputRows(),
                    progress.durationMs().getOrDefault("triggerExecution", 0L), progress.durationMs().getOrDefault("addBatch", 0L));
        }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}
}
