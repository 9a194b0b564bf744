package io.sluice.stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Rewrites a file next to the stream's checkpoint while the query runs, at most once per {@code interval}, so that
 * {@link io.sluice.lake.StreamWriterCheck} can tell a running stream from a stopped one. Batches without data are off
 * (SparkSessions.ENGINE_SETTINGS), so an idle stream commits nothing to its checkpoint: its progress and idle events
 * (Spark posts one every {@code spark.sql.streaming.noDataProgressEventInterval}, 10 s by default) are the only sign of
 * life. A failed write is logged and tried again at the next event: the heartbeat must never stop the stream.
 */
public final class StreamHeartbeat
        extends StreamingQueryListener
{
    /** Well inside StreamWriterCheck's window (at least 2 minutes), with Spark's 10 s between idle events added. */
    public static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(StreamHeartbeat.class);

    private final StreamingQueryManager streams;
    private final UUID queryId;
    private final Path file;
    private final Configuration hadoop;
    private final Clock clock;
    private final Duration interval;
    private Instant lastBeat = Instant.EPOCH;

    /** @param streams where this listener is registered; it leaves when its query terminates */
    public StreamHeartbeat(StreamingQueryManager streams, UUID queryId, String file, Configuration hadoop, Clock clock, Duration interval)
    {
        this.streams = requireNonNull(streams, "streams is null");
        this.queryId = requireNonNull(queryId, "queryId is null");
        this.file = new Path(requireNonNull(file, "file is null"));
        this.hadoop = requireNonNull(hadoop, "hadoop is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("Invalid heartbeat interval: " + interval);
        }
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event)
    {
        if (queryId.equals(event.progress().id())) {
            beat();
        }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event)
    {
        if (queryId.equals(event.id())) {
            beat();
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event)
    {
        if (queryId.equals(event.id())) {
            streams.removeListener(this);
        }
    }

    /** Events come one at a time from Spark's listener bus, so the throttle needs no lock. */
    private void beat()
    {
        Instant now = clock.instant();
        if (now.isBefore(lastBeat.plus(interval))) {
            return;
        }
        try {
            FileSystem fileSystem = file.getFileSystem(hadoop);
            // An empty file: its modification time is the message.
            fileSystem.create(file, true).close();
            lastBeat = now;
        }
        catch (IOException e) {
            log.warn("Cannot write the stream's heartbeat {}: {}", file, e.getMessage());
        }
    }
}
