package io.sluice.stream;

import io.sluice.sink.LogCheckpoints;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryManager;

import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** Closes a query's background Delta log checkpoints ({@link LogCheckpoints}) once the query has terminated. */
final class LogCheckpointsCloser
        extends StreamingQueryListener
{
    private final StreamingQueryManager streams;
    private final UUID queryId;
    private final LogCheckpoints checkpoints;

    LogCheckpointsCloser(StreamingQueryManager streams, UUID queryId, LogCheckpoints checkpoints)
    {
        this.streams = requireNonNull(streams, "streams is null");
        this.queryId = requireNonNull(queryId, "queryId is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event) {}

    @Override
    public void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event)
    {
        if (queryId.equals(event.id())) {
            streams.removeListener(this);
            checkpoints.close();
        }
    }
}
