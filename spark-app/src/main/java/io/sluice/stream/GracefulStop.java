package io.sluice.stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Stops a streaming query between micro-batches when asked: by SIGTERM or SIGINT (what EMR Serverless sends when a
 * job run is cancelled, and Ctrl-C), by a stop-marker file appearing (local path or s3a://), or by {@link #request()}.
 * The batch under way completes and commits; then the query stops and the process can exit 0. Should a batch be cut
 * short anyway (a second signal, a crash), the idempotent sinks make its re-run on restart harmless.
 */
public final class GracefulStop
{
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final Optional<String> marker;
    private final Configuration hadoopConfiguration;

    public GracefulStop(Optional<String> marker, Configuration hadoopConfiguration)
    {
        this.marker = requireNonNull(marker, "marker is null").filter(path -> !path.isBlank());
        this.hadoopConfiguration = requireNonNull(hadoopConfiguration, "hadoopConfiguration is null");
    }

    /** Turns SIGTERM and SIGINT into a stop request instead of an immediate exit. */
    public void handleSignals()
    {
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> {
                log.warn("Received SIG{}: stopping after the current micro-batch", received.getName());
                request();
            });
        }
    }

    public void request()
    {
        requested.countDown();
    }

    public boolean isRequested()
    {
        return requested.getCount() == 0 || markerExists();
    }

    /**
     * Waits until the query fails or a stop is requested, then stops it between batches.
     *
     * @return true when the query was stopped on request, false when it terminated by itself (check its exception)
     */
    public boolean runUntilStopped(StreamingQuery query, BatchActivity activity)
            throws TimeoutException
    {
        requireNonNull(query, "query is null");
        while (query.isActive()) {
            if (isRequested()) {
                stopBetweenBatches(query, activity);
                return true;
            }
            try {
                requested.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopBetweenBatches(query, activity);
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until no batch with records is running and the last one that wrote is in the checkpoint's commit log
     * (its progress was reported), then stops the query. A batch without records may be interrupted: it writes
     * nothing, and the next run repeats it.
     */
    public static void stopBetweenBatches(StreamingQuery query, BatchActivity activity)
            throws TimeoutException
    {
        while (query.isActive() && (activity.busy() || !committed(query, activity.lastWrittenBatch()))) {
            try {
                query.awaitTermination(20);
            }
            catch (org.apache.spark.sql.streaming.StreamingQueryException e) {
                return;
            }
        }
        query.stop();
    }

    private static boolean committed(StreamingQuery query, long batchId)
    {
        StreamingQueryProgress progress = query.lastProgress();
        return batchId < 0 || (progress != null && progress.batchId() >= batchId);
    }

    private boolean markerExists()
    {
        if (marker.isEmpty()) {
            return false;
        }
        try {
            Path path = new Path(marker.get());
            FileSystem fileSystem = path.getFileSystem(hadoopConfiguration);
            return fileSystem.exists(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot check the stop marker " + marker.get(), e);
        }
    }
}
