package io.sluice.sink;

import io.sluice.table.TableSpec;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Keeps each table's Delta log checkpointed every {@code interval} versions ({@code lake.log-checkpoint-interval}),
 * off the commit path.
 *
 * <p>Delta writes a checkpoint inside the commit that reaches a multiple of {@code delta.checkpointInterval}: a
 * state reconstruction and a Parquet write, seconds on a small cluster. A stream commits every table in the same
 * micro-batch, so all of them reached that multiple together and that one batch took 4–10 s longer than its
 * neighbours (docs/benchmarks.md): the freshness tail. Sluice's tables therefore turn Delta's own trigger off
 * ({@code table.TableProperties}) and this class writes the checkpoints instead: one table at a time on one background
 * thread, beside the next micro-batch, or in the calling thread for batch runs ({@link #writeDue}).
 *
 * <p>A checkpoint only summarizes commits that already exist, so writing it late, concurrently with new commits, or
 * not at all (the job stops first) never changes what a reader sees; it only bounds how many JSON commits a reader
 * replays. Which checkpoint is due is read from the log each time, so a restart picks up where the last run left off.
 *
 * <p>The interval trades readers' work for the stream's: a reader replays at most {@code interval} JSON commits after
 * the last checkpoint, and each checkpoint is a Spark job (state reconstruction, Parquet write) that shares the
 * executors with the micro-batches. At Delta's default of 10, a stream committing every second or two checkpointed
 * each of its six tables every 10 to 20 seconds, and the batches beside those jobs were the tail of freshness
 * (docs/benchmarks.md); Sluice's default is 100.
 */
public final class LogCheckpoints
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(LogCheckpoints.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final SparkSession spark;
    private final int interval;
    private final DeltaLogGateway gateway;
    /** Newest version checkpointed here, per table location: a writer's snapshot keeps the checkpoint it started from. */
    private final Map<String, Long> checkpointed = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor background;

    /**
     * @param interval how many versions past its last checkpoint a table's next one is due
     */
    public LogCheckpoints(SparkSession spark, int interval)
    {
        this.spark = requireNonNull(spark, "spark is null");
        if (interval < 1) {
            throw new IllegalArgumentException("Invalid log checkpoint interval: " + interval + " (expected at least 1)");
        }
        this.interval = interval;
        this.gateway = new DeltaLogGateway(spark);
        this.background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "sluice-log-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        // Started now, by the thread that builds the job, so it does not inherit a micro-batch's Spark local properties
        // (its SQL execution, the query's job group).
        background.prestartAllCoreThreads();
    }

    /**
     * Queues a checkpoint of each table {@code interval} or more versions past its last one, unless one is queued
     * already; returns at once.
     */
    public void scheduleDue(Collection<TableSpec> tables)
    {
        requireNonNull(tables, "tables is null");
        for (TableSpec table : tables) {
            if (due(table) && queued.add(table.location())) {
                background.execute(() -> {
                    try {
                        spark.sparkContext().setJobDescription("sluice: checkpoint the Delta log of " + table.name());
                        write(table);
                    }
                    finally {
                        queued.remove(table.location());
                    }
                });
            }
        }
    }

    /** Writes the checkpoints that are due now, in the calling thread: for batch runs, after their last commit. */
    public void writeDue(Collection<TableSpec> tables)
    {
        requireNonNull(tables, "tables is null");
        for (TableSpec table : tables) {
            if (due(table)) {
                write(table);
            }
        }
    }

    /** Lets a checkpoint being written finish (a stop must not leave it racing whatever runs next) and drops the queued ones. */
    @Override
    public void close()
    {
        background.shutdown();
        background.getQueue().clear();
        try {
            if (!background.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("A Delta log checkpoint was still being written {} s after the stream stopped; left to finish on its own", CLOSE_TIMEOUT.toSeconds());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean due(TableSpec table)
    {
        DeltaLogGateway.LogPosition position = gateway.position(table.location());
        long last = Math.max(position.checkpointVersion(), checkpointed.getOrDefault(table.location(), -1L));
        // Version 0 (the table's creation) is never worth a checkpoint of its own, as in Delta.
        return position.version() > 0 && position.version() - Math.max(last, 0) >= interval;
    }

    private void write(TableSpec table)
    {
        long started = System.nanoTime();
        try {
            long version = gateway.checkpointAndCleanUp(table.location());
            checkpointed.merge(table.location(), version, Math::max);
            log.debug("{}: Delta log checkpoint at version {} in {} ms", table.name(), version, (System.nanoTime() - started) / 1_000_000);
        }
        catch (RuntimeException e) {
            // A missing checkpoint costs readers time, never data; the next batch tries again.
            log.warn("{}: cannot checkpoint the Delta log: {}", table.name(), e.toString());
        }
    }
}
