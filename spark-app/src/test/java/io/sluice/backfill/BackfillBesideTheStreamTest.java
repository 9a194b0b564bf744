package io.sluice.backfill;

import io.sluice.produce.FeedOptions;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.source.JsonLinesArchive;
import io.sluice.stream.BatchActivity;
import io.sluice.stream.GracefulStop;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.StreamHarness;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
/**
 * A backfill and the stream writing the same silver partitions at the same time. The stream receives, late, part of
 * the very events the backfill merges, so both MERGE into the same partitions and race on their commits; afterwards
 * every event is in silver exactly once and both sides' accounting balances.
 */
@ExtendWith(ExtensionContextResolver.class)
final class BackfillBesideTheStreamTest
{
    private static final Instant NOON = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void backfillAndStreamTogetherWriteEveryEventOnce(@TempDir Path directory, ExtensionContext context)
            throws Exception
    {
        SparkSession spark = SharedSpark.session(context);
        Lake lake = TestLakes.lake(directory, Map.of(
                "stream.trigger-interval", "200ms",
                "stream.watermark-delay", "30s",
                "stream.max-record-bytes", "65536",
                "spark.shuffle-partitions", "2"));
        // The morning's events, in an archive; the stream is live from noon on, with its own events.
        Path archive = directory.resolve("archive");
        List<ProducedRecord> morning = Archives.write(archive, 1, 6_000, NOON.minus(Duration.ofHours(3)), 1.0, Duration.ZERO);
        TennisFeed live = new TennisFeed(new FeedOptions(21, 6, NOON, 20, 0.10, 0.05, 0, Duration.ZERO, 0.05, 70_000));
        Path incoming = Files.createDirectories(directory.resolve("incoming"));
        List<ProducedRecord> streamed = new ArrayList<>(drop(incoming, 0, live.take(1_000)));

        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, lake).start(
                JsonLinesArchive.fromLines(spark.readStream().option("maxFilesPerTrigger", 1).text(incoming.toString())), reports::add, activity);
        try {
            StreamHarness.awaitIngested(query, reports, streamed.size(), Duration.ofMinutes(10));

            // The backfill runs in its own session, as it would in its own job, in one-hour slices: several MERGEs.
            SparkSession backfillSession = spark.newSession();
            BackfillRequest request = new BackfillRequest(new TimeRange(NOON.minus(Duration.ofHours(4)), NOON),
                    new BackfillSource.JsonLines(archive.toString()), Set.of(), false, 1_500, false);
            CompletableFuture<BackfillResult> backfill = CompletableFuture.supplyAsync(
                    () -> new Backfill(backfillSession, lake, line -> {}, Clock.systemUTC()).run(request));
            // Meanwhile the stream gets more live events, and the morning's good events again, late: its late path
            // MERGEs them into the same partitions the backfill is merging into.
            List<ProducedRecord> lateCopies = morning.stream().filter(record -> record.kind().fate() == RecordKind.Fate.SILVER).toList();
            int file = 1;
            for (int part = 0; part < 4; part++) {
                streamed.addAll(drop(incoming, file++, live.take(500)));
                streamed.addAll(drop(incoming, file++, lateCopies.subList(part * lateCopies.size() / 4, (part + 1) * lateCopies.size() / 4)));
            }
            BackfillResult result = backfill.get(10, TimeUnit.MINUTES);
            StreamHarness.awaitIngested(query, reports, streamed.size(), Duration.ofMinutes(10));

            assertThat(result.balanced()).as(result.summaryLine()).isTrue();
            assertThat(result.recordsRead()).isEqualTo(morning.size());
        }
        finally {
            GracefulStop.stopBetweenBatches(query, activity);
        }
        assertThat(query.exception().isEmpty()).isTrue();
        assertThat(reports).allSatisfy(report -> assertThat(report.balanced()).as(report.summaryLine()).isTrue());
        assertThat(reports.stream().mapToLong(BatchReport::recordsRead).sum()).isEqualTo(streamed.size());
        assertThat(reports.stream().mapToLong(BatchReport::late).sum()).as("the morning's copies took the stream's late path").isPositive();

        Map<String, Set<String>> expected = new HashMap<>(TestLakes.expectedSilverIds(morning));
        TestLakes.expectedSilverIds(streamed).forEach((table, ids) -> expected.computeIfAbsent(table, ignored -> new HashSet<>()).addAll(ids));
        TestLakes.assertSilverIds(spark, lake, expected);
        long badRecords = Archives.count(morning, RecordKind.Fate.QUARANTINE) + Archives.count(streamed, RecordKind.Fate.QUARANTINE);
        assertThat(spark.read().format("delta").load(lake.tables().quarantine().location()).count()).isEqualTo(badRecords);
    }

    /** Writes records as the next file the stream picks up; a temporary name first, so it never reads a partial file. */
    private static List<ProducedRecord> drop(Path incoming, int number, List<ProducedRecord> records)
            throws java.io.IOException
    {
        Path staged = incoming.resolveSibling("staged-%03d.jsonl".formatted(number));
        try (JsonLinesRecordWriter writer = new JsonLinesRecordWriter(staged)) {
            writer.write(records);
        }
        Files.move(staged, incoming.resolve("part-%03d.jsonl".formatted(number)), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return records;
    }
}
