package io.sluice.testing;

import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.sink.BatchReport;
import io.sluice.stream.BatchActivity;
import io.sluice.stream.GracefulStop;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        requireNonNull(query, "query is null");
        if (!query.isActive()) {
            throw new AssertionError("The streaming query stopped", query.exception().isDefined() ? query.exception().get() : null);
        }
        return byBatch(reports).values().stream().mapToLong(BatchReport::recordsRead).sum();
    }

    /** Waits until the query's batches have read {@code expected} records. */
    public static void awaitIngested(StreamingQuery query, List<BatchReport> reports, long expected, Duration timeout)
    {
        await().atMost(timeout).until(() -> ingested(query, reports) >= expected);
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

    /** The silver table each generated dataset lands in (the contracts' {@code table}). */
    public static String silverTable(String dataset)
    {
        return switch (dataset) {
            case "tennis.serve" -> "tennis_serves";
            case "tennis.point" -> "tennis_points";
            case "tennis.match" -> "tennis_match_status";
            default -> throw new IllegalArgumentException("Unknown dataset: " + dataset);
        };
    }

    /** The event ids the generator meant for silver, by silver table. */
    public static Map<String, Set<String>> expectedSilverIds(List<ProducedRecord> sent)
    {
        Map<String, Set<String>> expected = new HashMap<>();
        for (ProducedRecord record : sent) {
            if (record.kind().fate() == RecordKind.Fate.SILVER) {
                expected.computeIfAbsent(silverTable(record.dataset().orElseThrow()), ignored -> new HashSet<>()).add(record.eventId().orElseThrow());
            }
        }
        return expected;
    }
}
