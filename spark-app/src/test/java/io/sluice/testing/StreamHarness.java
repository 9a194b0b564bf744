package io.sluice.testing;

import io.sluice.sink.BatchReport;
import io.sluice.stream.BatchActivity;
import io.sluice.stream.GracefulStop;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Run the stream until N records are in": the waits every streaming test needs, failing at once when the query
 * dies instead of waiting out the timeout, and stopping between batches so no batch is cut in two.
 */
public final class StreamHarness
{
    private StreamHarness() {}

    /**
     * Records ingested so far, counting each batch id once (a batch re-run after a restart reports again, with the
     * same records); fails at once if the query died.
     */
    public static long ingested(StreamingQuery query, List<BatchReport> reports)
    {
        requireRunning(query);
        return byBatch(reports).values().stream().mapToLong(BatchReport::recordsRead).sum();
    }

    /** Waits until the query's batches have read {@code expected} records. */
    public static void awaitIngested(StreamingQuery query, List<BatchReport> reports, long expected, Duration timeout)
    {
        await().atMost(timeout).until(() -> ingested(query, reports) >= expected);
    }

    /**
     * Waits until {@code condition} holds, failing at once if the query stopped: for queries with a sink of their own
     * rather than Sluice's batch reports.
     */
    public static void awaitWhileRunning(StreamingQuery query, Duration timeout, Callable<Boolean> condition)
    {
        requireNonNull(condition, "condition is null");
        await().atMost(timeout).until(() -> {
            requireRunning(query);
            return condition.call();
        });
    }

    /** Lets the query run for {@code duration} (an idle stretch a test measures), failing at once if it stops. */
    public static void keepRunning(StreamingQuery query, Duration duration)
    {
        requireNonNull(duration, "duration is null");
        await().during(duration).atMost(duration.plusSeconds(10)).until(() -> {
            requireRunning(query);
            return true;
        });
    }

    /**
     * Records a job in another JVM has read, by its audit table (0 before the table exists): the audit row is the
     * last write of a batch, so what it counts is in every table.
     */
    public static long audited(SparkSession spark, Path auditTable)
    {
        requireNonNull(auditTable, "auditTable is null");
        // The job creates _delta_log before the table's first commit: only a committed table can be read. Looked up in
        // the directory, not through Delta, whose cached log would keep answering "no table" after the other JVM commits.
        Path log = auditTable.resolve("_delta_log");
        if (!Files.isRegularFile(log.resolve("00000000000000000000.json"))) {
            return 0;
        }
        return spark.read().format("delta").load(auditTable.toString()).selectExpr("coalesce(sum(records_read), 0)").first().getLong(0);
    }

    /**
     * Waits until the job in another JVM has audited at least {@code expected} records, failing at once if its process
     * exited. Polls every half second: each look reads a Delta table.
     */
    public static void awaitAudited(Process job, SparkSession spark, Path auditTable, long expected, Duration timeout)
    {
        requireNonNull(job, "job is null");
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!job.isAlive()) {
                throw new AssertionError("The job exited with %d before it had read %d records".formatted(job.exitValue(), expected));
            }
            return audited(spark, auditTable) >= expected;
        });
    }

    /** Waits until the query's batches have read {@code expected} records, then stops it between batches. */
    public static void ingestThenStop(StreamingQuery query, BatchActivity activity, List<BatchReport> reports, long expected, Duration timeout)
            throws Exception
    {
        try {
            awaitIngested(query, reports, expected, timeout);
        }
        finally {
            GracefulStop.stopBetweenBatches(query, activity);
        }
        assertThat(query.exception().isEmpty()).as("the query stopped without an error").isTrue();
    }

    private static void requireRunning(StreamingQuery query)
    {
        requireNonNull(query, "query is null");
        if (!query.isActive()) {
            throw new AssertionError("The streaming query stopped", query.exception().isDefined() ? query.exception().get() : null);
        }
    }

    /**
     * One report per batch id. A stop or a crash can interrupt the commit of a batch; the restarted query runs that
     * batch again on the same records (G4: it writes nothing twice) and reports it again, with the same counts.
     */
    public static Map<Long, BatchReport> byBatch(List<BatchReport> reports)
    {
        Map<Long, BatchReport> batches = new HashMap<>();
        for (BatchReport report : List.copyOf(reports)) {
            BatchReport earlier = batches.putIfAbsent(report.batchId(), report);
            if (earlier != null) {
                assertThat(report.recordsRead()).as("batch %s re-run on the same records", report.batchId()).isEqualTo(earlier.recordsRead());
            }
        }
        return batches;
    }
}
